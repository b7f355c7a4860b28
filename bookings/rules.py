"""The numbers bookings live by (domain.md §2 and §5). Services and selectors enforce them, models
constrain what they can, and bookings.notices quotes them, from here."""

from __future__ import annotations

from datetime import timedelta

from marketplace import rules as marketplace_rules

PAYABLE_KIND = "booking"  # payments.registry: a booking is paid like a contribution
PAYOUT_SOURCE = "booking"  # ... and pays its cleaner like a job

PLATFORM_FEE_PERCENT = 10  # of the service price, added to it: total = price + fee
SPECIAL_INSTRUCTIONS_MAX = 500
CANCELLATION_REASON_MAX = 500
CELL_MINUTES = marketplace_rules.SLOT_STEP_MINUTES  # a booking holds its cleaner's time in cells of this size

PENDING_ANSWER_WITHIN = timedelta(hours=24)  # unanswered longer (or at the start): expired
START_EARLY = timedelta(minutes=30)  # the cleaner may start this long before the start time

# Cancellation by the customer: how long before the start, and how much of total_price comes back.
FULL_REFUND_BEFORE = timedelta(hours=24)  # at least this long before: all of it
HALF_REFUND_BEFORE = timedelta(hours=6)  # at least this long before (and under 24 h): this share
HALF_REFUND_PERCENT = 50

# A cleaner who cancels: a penalty each time; this many within the window suspend them from search.
CLEANER_CANCELLATIONS_TO_SUSPEND = 3
CLEANER_CANCELLATION_WINDOW = timedelta(days=30)
SEARCH_SUSPENSION = timedelta(days=7)
ALTERNATIVES_MAX = 5  # other cleaners shown after a cleaner cancels

PAYOUT_AFTER_COMPLETION = timedelta(hours=48)  # or at the review, whichever first
DISPUTE_WINDOW = timedelta(hours=48)  # after completion
DISPUTE_TEXT_MAX = 2000
DISPUTE_PHOTOS_MAX = 3
REVIEW_RATING_RANGE = (1, 5)
REVIEW_COMMENT_MAX = 1000
MESSAGE_MAX = 2000

# Reminders: key, how long before the start, who gets it.
REMINDERS = (("24h", timedelta(hours=24), ("customer", "cleaner")),
             ("1h", timedelta(hours=1), ("cleaner",)),
             ("30m", timedelta(minutes=30), ("customer",)))


def platform_fee(service_price: int) -> int:
    """10% of the price in whole paise, halves rounded up (₹333.35 -> ₹33.34)."""
    return (service_price * PLATFORM_FEE_PERCENT + 50) // 100


def customer_refund(total_price: int, notice: timedelta) -> int:
    """What a customer who cancels ``notice`` before the start gets back (the policy above)."""
    if notice >= FULL_REFUND_BEFORE:
        return total_price
    if notice >= HALF_REFUND_BEFORE:
        return total_price * HALF_REFUND_PERCENT // 100
    return 0


def cleaner_share(kept: int, *, service_price: int, total_price: int) -> int:
    """The cleaner's part of an amount the platform keeps, in the price's proportion (all of the
    service price when nothing is refunded); the rest is the platform's fee."""
    if total_price <= 0:
        return 0
    return kept * service_price // total_price
