"""The booking page's conversation routes (bookings.views_conversation), under a booking: appended to
bookings.urls' ``urlpatterns`` (namespace ``bookings``)."""

from django.urls import path

from . import views_conversation

urlpatterns = [
    path("<str:booking_id>/messages/", views_conversation.message_send, name="message_send"),
    path("<str:booking_id>/review/", views_conversation.review_submit, name="review_submit"),
    path("<str:booking_id>/dispute/", views_conversation.dispute_report, name="dispute_report"),
    path("<str:booking_id>/dispute/response/", views_conversation.dispute_respond, name="dispute_respond"),
]
