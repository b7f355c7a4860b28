"""Cleaners on the API: search, public profiles with services, reviews and free slots (anyone), and a
cleaner's own profile, availability toggle and weekly schedule. Thin: marketplace.services and
marketplace.selectors hold the rules."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cleanit.api.parsers import JSONParser
from cleanit.api.schema import error_responses, near_parameters
from cleanit.response_cache import CachedGetMixin
from marketplace import hooks, rules, selectors, services
from marketplace.api.permissions import IsCleaner
from marketplace.models import ServicePackage

from . import serializers as s

SEARCH_PARAMS = ("city", "lat", "lng", "radius_km", "available", "min_rating", "max_rate", "service_type", "q",
                 "sort")


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _own(user):
    """The signed-in cleaner's profile as the owner sees it (with services and schedule)."""
    return s.OwnCleanerSerializer(selectors.cleaner_get(cleaner_id=services.own_profile(user).pk)).data


class CleanerSearchView(CachedGetMixin, ListAPIView):
    response_cache_scope = "shared"  # the same answer for every caller: nothing of the viewer in it
    response_cache_open = True  # GET: anyone, no permission
    permission_classes = [AllowAny]
    serializer_class = s.CleanerSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        return selectors.cleaner_search(**selectors.search_filters(**{name: params.get(name)
                                                                      for name in SEARCH_PARAMS}))

    @extend_schema(
        tags=["cleaners"],
        summary="Find cleaners: listed ones (an active account and at least one active service) matching every "
                "filter given",
        parameters=[
            OpenApiParameter("city", OpenApiTypes.STR, description="city name, any letter case"),
            *near_parameters(),
            OpenApiParameter("available", OpenApiTypes.BOOL, description="true: only cleaners available now"),
            OpenApiParameter("min_rating", OpenApiTypes.NUMBER,
                             description="{} to {}: average rating at least this".format(*rules.RATING_RANGE)),
            OpenApiParameter("max_rate", OpenApiTypes.INT, description="paise: hourly rate at most this"),
            OpenApiParameter("service_type", OpenApiTypes.STR, enum=ServicePackage.ServiceType.values,
                             description="offers an active service of this type"),
            OpenApiParameter("q", OpenApiTypes.STR, description="words that must each be in the name or the bio"),
            OpenApiParameter("sort", OpenApiTypes.STR, enum=list(rules.SEARCH_SORTS),
                             description="rating (default without a point): average, then number of ratings; "
                                         "distance (default with a point; needs lat and lng): nearest first; "
                                         "price: lowest hourly rate first"),
        ],
        responses={200: s.CleanerSerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CleanerDetailView(CachedGetMixin, APIView):
    response_cache_scope = "shared"
    response_cache_open = True  # GET: anyone, no permission
    permission_classes = [AllowAny]

    @extend_schema(tags=["cleaners"], summary="A cleaner's profile with active services, rating and weekly schedule",
                   responses={200: s.CleanerDetailSerializer, **error_responses(404)})
    def get(self, request, cleaner_id):
        return Response(s.CleanerDetailSerializer(selectors.cleaner_get(cleaner_id=cleaner_id)).data)


class CleanerServicesView(CachedGetMixin, ListAPIView):
    response_cache_scope = "shared"
    response_cache_open = True  # GET: anyone, no permission
    permission_classes = [AllowAny]
    serializer_class = s.ServiceSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.cleaner_services(profile=selectors.cleaner_get(cleaner_id=self.kwargs["cleaner_id"]))

    @extend_schema(tags=["cleaners"], summary="The services a cleaner offers (active), cheapest first",
                   responses={200: s.ServiceSerializer(many=True), **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CleanerReviewItemSerializer(s.ReviewSerializer):
    """A review as the cleaner's profile lists it (marketplace.hooks.ReviewItem): the customer's first
    name, the service and the booking's date."""

    service_name = serializers.CharField()
    service_date = serializers.DateField(help_text="the booking's date, YYYY-MM-DD (Asia/Kolkata)")


class CleanerReviewsView(CachedGetMixin, ListAPIView):
    response_cache_scope = "shared"
    response_cache_open = True  # GET: anyone, no permission
    permission_classes = [AllowAny]
    serializer_class = CleanerReviewItemSerializer
    filter_backends: list = []

    def get_queryset(self):
        # The reviews come from the bookings app through marketplace.hooks (marketplace never imports it).
        return hooks.reviews_of(selectors.cleaner_get(cleaner_id=self.kwargs["cleaner_id"]))

    @extend_schema(tags=["cleaners"], summary="Reviews of a cleaner, newest first (hidden ones left out)",
                   responses={200: CleanerReviewItemSerializer(many=True), **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CleanerSlotsView(CachedGetMixin, APIView):
    response_cache_scope = "shared"
    response_cache_open = True  # GET: anyone, no permission
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["cleaners"],
        summary=f"Free slots on a date for one of the cleaner's services: the weekday's schedule minus busy time, "
                f"every {rules.SLOT_STEP_MINUTES} minutes, long enough for the service, none in the past (IST), "
                f"dates up to {rules.SLOT_HORIZON_DAYS} days ahead; none while the cleaner is unavailable",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=True, description="YYYY-MM-DD (IST)"),
                    OpenApiParameter("service_id", OpenApiTypes.UUID, required=True,
                                     description="an active service of this cleaner")],
        responses={200: s.DaySlotsSerializer, **error_responses(400, 404)})
    def get(self, request, cleaner_id):
        day_slots = selectors.slots_for(cleaner_id=cleaner_id, date=request.query_params.get("date"),
                                        service_id=request.query_params.get("service_id"))
        return Response(s.DaySlotsSerializer(day_slots).data)


class OwnProfileView(APIView):
    permission_classes = [IsCleaner]
    parser_classes = [JSONParser]

    @extend_schema(tags=["cleaners"], summary="Your cleaner profile (with street, PIN code and whether it is listed)",
                   responses={200: s.OwnCleanerSerializer, **error_responses(401, 403, 404)})
    def get(self, request):
        return Response(_own(request.user))

    @extend_schema(tags=["cleaners"], request=s.ProfileWriteSerializer,
                   summary="Create your profile (201; every field but the bio) or change the fields given (200)",
                   responses={200: s.OwnCleanerSerializer, 201: s.OwnCleanerSerializer,
                              **error_responses(400, 401, 403, 415)})
    def post(self, request):
        _, created = services.profile_save(user=request.user, **_valid(s.ProfileWriteSerializer, request.data))
        return Response(_own(request.user), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AvailabilityView(APIView):
    permission_classes = [IsCleaner]
    parser_classes = [JSONParser]

    @extend_schema(tags=["cleaners"], request=s.AvailabilitySerializer,
                   summary="Turn your availability on or off (off: no free slots, not 'available' in searches)",
                   responses={200: s.OwnCleanerSerializer, **error_responses(400, 401, 403, 404, 415)})
    def patch(self, request):
        services.availability_set(user=request.user, **_valid(s.AvailabilitySerializer, request.data))
        return Response(_own(request.user))


class ScheduleView(APIView):
    permission_classes = [IsCleaner]
    parser_classes = [JSONParser]

    @extend_schema(tags=["cleaners"], summary="Your weekly schedule (IST)",
                   responses={200: s.ScheduleOutSerializer, **error_responses(401, 403, 404)})
    def get(self, request):
        ranges = selectors.schedule_of(profile=services.own_profile(request.user))
        return Response(s.ScheduleOutSerializer({"ranges": ranges}).data)

    @extend_schema(tags=["cleaners"], request=s.ScheduleSerializer,
                   summary=f"Replace your weekly schedule: ranges per weekday on the {rules.SCHEDULE_STEP_MINUTES}-"
                           f"minute grid (IST), none overlapping; errors name the range (ranges.2.start)",
                   responses={200: s.ScheduleOutSerializer, **error_responses(400, 401, 403, 404, 415)})
    def put(self, request):
        ranges = services.schedule_set(user=request.user, **_valid(s.ScheduleSerializer, request.data))
        return Response(s.ScheduleOutSerializer({"ranges": ranges}).data)
