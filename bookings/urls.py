from django.urls import path

from . import urls_calendar, urls_conversation, views

app_name = "bookings"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.book, name="new"),
    *urls_calendar.urlpatterns,  # before "<booking_id>/"
    path("<str:booking_id>/", views.detail, name="detail"),
    path("<str:booking_id>/accept/", views.accept, name="accept"),
    path("<str:booking_id>/reject/", views.reject, name="reject"),
    path("<str:booking_id>/start/", views.start, name="start"),
    path("<str:booking_id>/complete/", views.complete, name="complete"),
    path("<str:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<str:booking_id>/pay/", views.pay, name="pay"),
    *urls_conversation.urlpatterns,
]
