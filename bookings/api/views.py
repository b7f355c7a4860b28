"""Bookings on the API. Thin: bookings.services and bookings.selectors hold the rules; a booking that is
not the caller's is 404 (never its data)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings import selectors, services
from bookings.models import Party
from bookings.services.timeline import party_of
from cleanit import errors
from cleanit.api.schema import error_responses
from cleanit.response_cache import CachedGetMixin
from marketplace.api.permissions import IsCleaner

from . import serializers as s

ADDRESS_FIELDS = ("street", "city", "state", "pincode")


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _booking(request, booking, serializer_class=s.BookingSerializer, **context) -> dict:
    return serializer_class(booking, context={"request": request, **context}).data


class BookingListCreateView(CachedGetMixin, ListAPIView):
    response_cache_scope = "private"
    permission_classes = [IsAuthenticated]
    serializer_class = s.BookingSerializer
    filter_backends: list = []

    def get_queryset(self):
        show = self.request.query_params.get("show") or None
        if show is not None and show not in selectors.LIST_FILTERS:
            raise errors.ValidationFailed(fields={"show": [f"Choose one of: {', '.join(selectors.LIST_FILTERS)}."]})
        return selectors.bookings_for(user=self.request.user, show=show)

    @extend_schema(tags=["bookings"], summary="Your bookings, as customer and as cleaner",
                   parameters=[OpenApiParameter("show", OpenApiTypes.STR, enum=list(selectors.LIST_FILTERS),
                                                description="upcoming (soonest first), past (completed) or "
                                                            "cancelled; all when left out (latest first)")],
                   responses={200: s.BookingSerializer(many=True), **error_responses(400, 401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["bookings"], request=s.BookingCreateSerializer,
                   summary="Book a cleaner's service in one of their free slots (customers); 409 slot_unavailable "
                           "when the time was taken meanwhile",
                   responses={201: s.BookingSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request):
        data = _valid(s.BookingCreateSerializer, request.data)
        address = data["service_address"]
        try:
            booking = services.booking_create(
                customer=request.user, cleaner_id=data["cleaner_id"], service_id=data["service_id"],
                booking_date=data["booking_date"], start_time=data["start_time"],
                special_instructions=data.get("special_instructions", ""), latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                **{name: address.get(name) for name in ADDRESS_FIELDS})
        except errors.DomainError as exc:  # the address's fields are nested on the API
            for name in ADDRESS_FIELDS:
                if name in exc.fields:
                    exc.fields[f"service_address.{name}"] = exc.fields.pop(name)
            raise
        return Response(_booking(request, booking), status=status.HTTP_201_CREATED)  # as made: nothing to re-read


class BookingDetailView(CachedGetMixin, APIView):
    # Each participant's own view of the booking (what they may see differs), kept like their lists: their own
    # changes show at once, the other party's within RESPONSE_CACHE_SECONDS.
    response_cache_scope = "private"
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], summary="One of your bookings (404 for anyone else's)",
                   responses={200: s.BookingSerializer, **error_responses(401, 404)})
    def get(self, request, booking_id):
        return Response(_booking(request, selectors.booking_for_participant(user=request.user,
                                                                            booking_id=booking_id)))

    @extend_schema(tags=["bookings"], request=s.CancelSerializer,
                   summary="Cancel with the refund policy: the customer gets all of total_price back 24 h or more "
                           "before the start, 50% from 6 h, none under 6 h; a cleaner's cancellation refunds all, "
                           "counts against them, and lists alternative cleaners",
                   responses={200: s.CancelledBookingSerializer, **error_responses(400, 401, 403, 404, 409)})
    def delete(self, request, booking_id):
        data = _valid(s.CancelSerializer, request.data if hasattr(request.data, "get") else {})
        booking = selectors.booking_for_participant(user=request.user, booking_id=booking_id)
        booking = services.booking_cancel(booking=booking, user=request.user, reason=data.get("reason", ""))
        return Response(_cancelled(request, booking))


def _cancelled(request, booking) -> dict:
    alternatives = selectors.alternatives_for(booking=booking) \
        if booking.cancelled_by in (Party.CLEANER, Party.SYSTEM) else []
    return _booking(request, booking, s.CancelledBookingSerializer, alternatives=alternatives)


class CancellationTermsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], summary="What cancelling now would mean for you: the refund, before you confirm",
                   responses={200: s.CancellationTermsSerializer, **error_responses(401, 404)})
    def get(self, request, booking_id):
        booking = selectors.booking_for_participant(user=request.user, booking_id=booking_id)
        terms = services.cancellation_terms(booking=booking, party=party_of(booking, request.user))
        return Response(s.CancellationTermsSerializer(terms).data)


class StatusView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["bookings"], request=s.StatusChangeSerializer,
                   summary="Move a booking: the cleaner accepts (confirmed), declines (cancelled, with a reason), "
                           "starts (in_progress, once paid) and completes; either party cancels (cancelled). "
                           "403 wrong_party, 409 invalid_transition",
                   responses={200: s.CancelledBookingSerializer, **error_responses(400, 401, 403, 404, 409)})
    def patch(self, request, booking_id):
        data = _valid(s.StatusChangeSerializer, request.data)
        booking = selectors.booking_for_participant(user=request.user, booking_id=booking_id)
        booking = services.booking_status_change(booking=booking, user=request.user, status=data["status"],
                                                 reason=data.get("reason", ""))
        if booking.status == booking.Status.CANCELLED:
            return Response(_cancelled(request, booking))
        return Response(_booking(request, booking))


class CleanerBookingsView(CachedGetMixin, ListAPIView):
    response_cache_scope = "private"
    permission_classes = [IsCleaner]
    serializer_class = s.BookingSerializer
    filter_backends: list = []

    def get_queryset(self):
        show = self.request.query_params.get("show") or None
        if show is not None and show not in selectors.LIST_FILTERS:
            raise errors.ValidationFailed(fields={"show": [f"Choose one of: {', '.join(selectors.LIST_FILTERS)}."]})
        return selectors.bookings_for(user=self.request.user, show=show, as_cleaner=True)

    @extend_schema(tags=["cleaners"], summary="Your bookings as a cleaner",
                   parameters=[OpenApiParameter("show", OpenApiTypes.STR, enum=list(selectors.LIST_FILTERS))],
                   responses={200: s.BookingSerializer(many=True), **error_responses(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CreateIntentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["payments"], request=s.CreateIntentSerializer,
                   summary="Pay for a booking the cleaner accepted: opens a payment order of its total_price",
                   responses={201: s.PaymentStartedSerializer, **error_responses(400, 401, 403, 404, 409)})
    def post(self, request):
        data = _valid(s.CreateIntentSerializer, request.data)
        booking = selectors.booking_for_participant(user=request.user, booking_id=data["booking_id"])
        payment = services.booking_pay_start(booking=booking, user=request.user)
        return Response(s.payment_started(payment, request), status=status.HTTP_201_CREATED)
