from django.apps import AppConfig

EVENTS = ("booking.requested", "booking.accepted", "booking.rejected", "booking.started", "booking.completed",
          "booking.cancelled", "booking.expired", "booking.reminder", "booking.review_request",
          "booking.review_received", "booking.message", "booking.dispute_opened", "booking.dispute_answered",
          "booking.dispute_decided", "booking.search_suspended")


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Home-cleaning bookings"

    def ready(self):
        from marketplace import hooks
        from notifications.catalogue import Category, register_event
        from payments.registry import PayableType, PayoutSource, register_payable, register_payout_source

        from . import rules, selectors, views
        from .services import holds, payment, payout

        hooks.register_busy_time(holds.busy_time)
        hooks.register_package_bookings_check(holds.package_has_bookings)
        hooks.register_dashboard_sections(views.dashboard_sections)
        hooks.register_reviews(selectors.reviews_of_cleaner)
        register_payable(PayableType(kind=rules.PAYABLE_KIND, on_captured=payment.on_booking_captured,
                                     on_failed=payment.on_booking_payment_failed,
                                     on_refunded=payment.on_booking_refunded,
                                     return_url=payment.booking_return_url,
                                     can_view=payment.booking_payment_viewer))
        register_payout_source(PayoutSource(kind=rules.PAYOUT_SOURCE, on_paid=payout.on_payout_paid,
                                            on_reversed=payout.on_payout_reversed))
        for event in EVENTS:
            register_event(event, Category.BOOKINGS)
        # Both parties must learn that money moved, whatever their preferences.
        register_event("booking.payment_received", Category.PAYMENTS, always=True)
