"""What payments tells people: notification titles and bodies, page messages, the reasons stored
on a payment, refund or payout that people read. Numbers come from the values the rules use."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from cleanit.dates import format_date, format_datetime
from cleanit.money import format_inr

if TYPE_CHECKING:
    from .models import Payment, Payout, Refund

PAYMENT_NOT_FOUND = "Payment not found."
RECEIPT_NOT_FOUND = "Receipt not found."
PAYOUT_NOT_FOUND = "Payout not found."

# Receipts.
RECEIPT_TITLE_PAID = "Receipt"
RECEIPT_TITLE_FAILED = "Payment failed"
RECEIPT_TITLE_NOT_PAID = "Payment not completed"
RECEIPT_NOT_PAID = "Not paid: nothing has been taken."


def receipt_failed(failed_at: datetime) -> str:
    return f"Payment failed on {format_datetime(failed_at)}. No money was taken."


def receipt_paid(*, amount: int, refunded: int, refunded_on: datetime | None, on_its_way: int) -> str:
    if refunded >= amount:
        status = f"Refunded on {format_date(refunded_on)}"
    elif refunded:
        status = f"Paid; {format_inr(refunded)} refunded on {format_date(refunded_on)}"
    else:
        status = "Paid"
    return f"{status}; a refund of {format_inr(on_its_way)} is on its way" if on_its_way else status


# Pages (Checkout and its return).
PAYMENT_ALREADY_COMPLETE = "This payment is already complete."
PAYMENT_CONFIRMED = "Thank you! Your payment is confirmed."
PAYMENT_NOT_TAKEN = "The payment did not go through. You have not been charged; you can try again."


def payment_not_confirmed(reason: str) -> str:
    return f"We could not confirm this payment: {reason}"


# Reasons stored on records (shown on receipts and in the admin).
ORDER_NOT_OPENED = "The payment service could not open an order."
PAYMENT_FAILED = "The payment failed."
REFUND_FAILED_AT_GATEWAY = "The gateway reported the refund failed."
PAYOUT_REVERSED = "The bank returned the payout (reversed)."


def payout_refused_by_bank(gateway_status: str) -> str:
    return f"The bank did not take it ({gateway_status})."


def after_attempts(reason: str, attempts: int) -> str:
    return f"{reason} (after {attempts} attempts)"


# Validation.
def payout_too_small(minimum: int) -> str:
    return f"A payout must be at least {format_inr(minimum)}."


def refund_amount_out_of_range(available: int) -> str:
    return f"Enter an amount between 1 and {available} paise."


# Notifications.
def payment_received(payment: Payment) -> dict:
    return {"title": f"Payment of {format_inr(payment.amount)} received", "body": payment.description}


def refund_processed(refund: Refund) -> dict:
    return {"title": f"Refund of {format_inr(refund.amount)} processed",
            "body": f"{refund.payment.description}: {refund.reason}"}


def payout_paid(payout: Payout) -> dict:
    return {"title": f"Payout of {format_inr(payout.amount)} sent",
            "body": f"{payout.description}. Bank reference: {payout.utr or 'on its way'}."}


def payout_delayed(payout: Payout) -> dict:
    return {"title": f"Payout of {format_inr(payout.amount)} delayed",
            "body": f"{payout.description}: we could not complete it yet and our team is on it."}


def payout_needs_attention(payout: Payout, reason: str) -> dict:
    return {"title": f"Payout needs attention: {format_inr(payout.amount)}", "body": f"{payout.description}: {reason}"}
