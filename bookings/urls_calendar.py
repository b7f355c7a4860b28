"""The calendar feed's pages, to be included in bookings/urls.py (app ``bookings``) BEFORE
``<str:booking_id>/``: ``/bookings/calendar/<token>.ics`` and ``/bookings/calendar/reset/``."""

from django.urls import path

from . import views_calendar

urlpatterns = [
    path("calendar/reset/", views_calendar.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
]
