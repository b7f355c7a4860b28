from cleanit.api.routing import api_path

from . import conversation, views

urlpatterns = [
    api_path("bookings", views.BookingListCreateView.as_view(), "bookings-list"),
    api_path("bookings/<booking_id>", views.BookingDetailView.as_view(), "bookings-detail"),
    api_path("bookings/<booking_id>/status", views.StatusView.as_view(), "bookings-status"),
    api_path("bookings/<booking_id>/cancellation", views.CancellationTermsView.as_view(), "bookings-cancellation"),
    api_path("cleaners/me/bookings", views.CleanerBookingsView.as_view(), "cleaners-me-bookings"),
    api_path("payments/create-intent", views.CreateIntentView.as_view(), "payments-create-intent"),
    # the booking's conversation (bookings.api.conversation)
    api_path("bookings/<booking_id>/messages", conversation.BookingMessagesView.as_view(), "bookings-messages"),
    api_path("bookings/<booking_id>/review", conversation.BookingReviewView.as_view(), "bookings-review"),
    api_path("bookings/<booking_id>/dispute", conversation.BookingDisputeView.as_view(), "bookings-dispute"),
    api_path("bookings/<booking_id>/dispute/response", conversation.BookingDisputeResponseView.as_view(),
             "bookings-dispute-response"),
    api_path("reviews/cleaners/<cleaner_id>", conversation.CleanerReviewListView.as_view(), "reviews-cleaner"),
    api_path("reviews/<review_id>", conversation.ReviewDetailView.as_view(), "reviews-detail"),
]

# The cleaner's calendar feed (bookings.api.calendar).
from . import calendar as calendar_views  # noqa: E402

urlpatterns += [
    api_path("cleaners/me/calendar", calendar_views.CalendarFeedView.as_view(), "cleaners-me-calendar"),
    api_path("cleaners/me/calendar/reset", calendar_views.CalendarFeedResetView.as_view(),
             "cleaners-me-calendar-reset"),
]
