"""A booking's conversation on the API: messages between its two parties, the customer's review, a
reported problem and the cleaner's answer; and reviews for anyone to read. Thin: bookings.services and
bookings.selectors decide; a booking that is not the caller's is 404 (never its messages)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings import selectors, services
from cleanit.api.parsers import JSONParser
from cleanit.api.schema import error_responses
from marketplace import selectors as marketplace_selectors

from . import serializers as s


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _booking(request, booking_id):
    return selectors.booking_for_participant(user=request.user, booking_id=booking_id)


class BookingMessagesView(ListAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    serializer_class = s.BookingMessageSerializer
    filter_backends: list = []

    def get_queryset(self):
        self.booking = _booking(self.request, self.kwargs["booking_id"])
        return selectors.messages_of(booking=self.booking)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([s.message_data(message, booking=self.booking, viewer=request.user)
                                            for message in page])

    @extend_schema(tags=["bookings"], summary="The booking's messages, oldest first (its two parties only; 404 for "
                                              "anyone else)",
                   responses={200: s.BookingMessageSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["bookings"], request=s.MessageCreateSerializer,
                   summary="Write to the other party: plain text; open until 48 hours after completion (longer "
                           "while a reported problem is open), never on a cancelled booking (409 messages_closed)",
                   responses={201: s.BookingMessageSerializer, **error_responses(400, 401, 403, 404, 409, 415)})
    def post(self, request, booking_id):
        data = _valid(s.MessageCreateSerializer, request.data)
        booking = _booking(request, booking_id)
        message = services.message_send(booking=booking, user=request.user, body=data["body"])
        return Response(s.message_data(message, booking=booking, viewer=request.user), status=status.HTTP_201_CREATED)


class BookingReviewView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(tags=["bookings"], request=s.ReviewCreateSerializer,
                   summary="Review a completed booking, once (the customer): it counts in the cleaner's rating and "
                           "releases their payout; 409 booking_not_completed or already_reviewed",
                   responses={201: s.ReviewSerializer, **error_responses(400, 401, 403, 404, 409, 415)})
    def post(self, request, booking_id):
        data = _valid(s.ReviewCreateSerializer, request.data)
        booking = _booking(request, booking_id)
        review = services.review_create(booking=booking, user=request.user, rating=data["rating"],
                                        comment=data.get("comment", ""))
        return Response(s.review_data(review), status=status.HTTP_201_CREATED)


class BookingDisputeView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(tags=["bookings"],
                   request={"multipart/form-data": s.DisputeUploadSerializer,
                            "application/json": s.DisputeCreateSerializer},
                   summary="Report a problem with a completed booking (the customer), within 48 hours of completion "
                           "and before the payout is released (a review releases it): the payout is held until "
                           "Cleanit decides; 409 dispute_not_allowed",
                   responses={201: s.DisputeSerializer, **error_responses(400, 401, 403, 404, 409, 413, 415)})
    def post(self, request, booking_id):
        data = _valid(s.DisputeCreateSerializer, request.data)
        booking = _booking(request, booking_id)
        photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        services.dispute_open(booking=booking, user=request.user, category=data["category"], text=data["text"],
                              photos=photos)
        return Response(s.dispute_data(_booking(request, booking_id)), status=status.HTTP_201_CREATED)


class BookingDisputeResponseView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(tags=["bookings"], request=s.DisputeResponseSerializer,
                   summary="Answer the reported problem (the cleaner), while it is open; again to correct the answer; "
                           "409 dispute_not_open once decided",
                   responses={200: s.DisputeSerializer, **error_responses(400, 401, 403, 404, 409, 415)})
    def post(self, request, booking_id):
        data = _valid(s.DisputeResponseSerializer, request.data)
        booking = _booking(request, booking_id)
        services.dispute_respond(booking=booking, user=request.user, text=data["text"])
        return Response(s.dispute_data(_booking(request, booking_id)))


class CleanerReviewListView(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.ReviewSerializer
    filter_backends: list = []

    def get_queryset(self):
        profile = marketplace_selectors.cleaner_get(cleaner_id=self.kwargs["cleaner_id"])
        return selectors.visible_reviews(cleaner_id=profile.pk)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([s.review_data(review) for review in page])

    @extend_schema(tags=["reviews"], summary="A cleaner's reviews, newest first (hidden ones left out)",
                   responses={200: s.ReviewSerializer(many=True), **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReviewDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["reviews"], summary="One review (404 when hidden)",
                   responses={200: s.ReviewSerializer, **error_responses(404)})
    def get(self, request, review_id):
        return Response(s.review_data(selectors.review_get(review_id=review_id)))
