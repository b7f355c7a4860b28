from django.urls import path

from . import urls_calendar, views

app_name = "bookings"

urlpatterns = [
    path("", views.mine, name="mine"),
    *urls_calendar.urlpatterns,  # before "<booking_id>/"
    path("<str:booking_id>/", views.detail, name="detail"),
]
