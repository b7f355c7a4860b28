"""A cleaner's calendar feed on the API: its private address, and a new one (the old stops working).
Thin: bookings.services.calendar decides."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.services import calendar as calendar_services
from cleanit.api.schema import error_responses
from marketplace.api.permissions import IsCleaner
from marketplace.services.cleaner_profile import own_profile


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="the private iCalendar (.ics) address to subscribe to; anyone with it "
                                         "sees your confirmed bookings")
    webcal_url = serializers.CharField(help_text="the same address as webcal://, which calendar apps open directly")


def _feed(feed) -> dict:
    url = calendar_services.calendar_feed_url(feed)
    return CalendarFeedSerializer({"url": url, "webcal_url": calendar_services.webcal_url(url)}).data


class CalendarFeedView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["cleaners"], request=None,
                   summary="Your calendar feed's private address (created on first use): your confirmed, "
                           "in-progress and completed bookings from 30 days ago on, as iCalendar",
                   responses={200: CalendarFeedSerializer, **error_responses(401, 403, 404)})
    def get(self, request):
        profile = own_profile(request.user)
        return Response(_feed(calendar_services.calendar_feed_get_or_create(cleaner=profile)))


class CalendarFeedResetView(APIView):
    permission_classes = [IsCleaner]

    @extend_schema(tags=["cleaners"], request=None,
                   summary="A new private address for your calendar feed: the old one answers 404 from now on",
                   responses={200: CalendarFeedSerializer, **error_responses(401, 403, 404)})
    def post(self, request):
        profile = own_profile(request.user)
        return Response(_feed(calendar_services.calendar_feed_reset(cleaner=profile)))
