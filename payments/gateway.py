"""The one door to Razorpay (and RazorpayX), through the official ``razorpay`` client.

Every call has a timeout, every failure becomes a typed error, and every call that moves money
carries an idempotency key derived from our own record, so a retry can never pay or refund twice.
With PAYMENT_GATEWAY=simulator the same client talks to the in-process simulator instead of
api.razorpay.com (see simulator/transport.py)."""

from __future__ import annotations

import logging
from functools import lru_cache

import razorpay
import requests
from django.conf import settings

from .errors import GatewayError, GatewayRejected, GatewayTimeout, InvalidSignature

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _client() -> razorpay.Client:
    if settings.PAYMENT_GATEWAY == "simulator":
        from .simulator.transport import SimulatorSession

        return razorpay.Client(session=SimulatorSession(),
                               auth=(settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET))
    return razorpay.Client(auth=(settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET))


def reset_client() -> None:
    """Forget the cached client (settings changed, e.g. in tests)."""
    _client.cache_clear()


def _call(operation: str, func, *args, **kwargs):
    kwargs.setdefault("timeout", settings.RAZORPAY_TIMEOUT_SECONDS)
    try:
        return func(*args, **kwargs)
    except requests.Timeout as exc:
        logger.warning("gateway %s timed out", operation)
        raise GatewayTimeout() from exc
    except requests.RequestException as exc:
        logger.warning("gateway %s unreachable: %s", operation, exc)
        raise GatewayError() from exc
    except razorpay.errors.BadRequestError as exc:
        logger.warning("gateway refused %s: %s", operation, exc)
        raise GatewayRejected(f"The payment service refused the request: {exc}") from exc
    except (razorpay.errors.GatewayError, razorpay.errors.ServerError) as exc:
        logger.warning("gateway %s failed: %s", operation, exc)
        raise GatewayError() from exc


def create_order(*, amount: int, receipt: str, notes: dict) -> dict:
    """An order for ``amount`` paise. ``receipt`` is our payment id (unique per order)."""
    return _call("order.create", _client().order.create,
                 {"amount": amount, "currency": "INR", "receipt": receipt[:40], "notes": notes,
                  "payment_capture": 1})


def fetch_payment(payment_id: str) -> dict:
    return _call("payment.fetch", _client().payment.fetch, payment_id)


def fetch_order(order_id: str) -> dict:
    return _call("order.fetch", _client().order.fetch, order_id)


def refund(*, payment_id: str, amount: int, idempotency_key: str, notes: dict) -> dict:
    return _call("payment.refund", _client().payment.refund, payment_id,
                 {"amount": amount, "speed": "normal", "notes": notes, "receipt": idempotency_key[:40]},
                 headers={"X-Refund-Idempotency": idempotency_key})


def fetch_refund(refund_id: str) -> dict:
    return _call("refund.fetch", _client().refund.fetch, refund_id)


def create_contact(*, name: str, email: str, phone: str, reference_id: str) -> dict:
    return _call("contact.create", _client().post, "/v1/contacts",
                 {"name": name, "email": email, "contact": phone, "type": "vendor", "reference_id": reference_id})


def create_fund_account(*, contact_id: str, account: dict) -> dict:
    """``account`` is ``{"bank_account": {name, ifsc, account_number}}`` or ``{"vpa": {"address"}}``."""
    account_type = "bank_account" if "bank_account" in account else "vpa"
    return _call("fund_account.create", _client().post, "/v1/fund_accounts",
                 {"contact_id": contact_id, "account_type": account_type, **account})


def create_payout(*, fund_account_id: str, amount: int, mode: str, reference_id: str, narration: str,
                  idempotency_key: str, notes: dict) -> dict:
    return _call("payout.create", _client().post, "/v1/payouts",
                 {"account_number": settings.RAZORPAYX_ACCOUNT_NUMBER, "fund_account_id": fund_account_id,
                  "amount": amount, "currency": "INR", "mode": mode, "purpose": "payout",
                  "queue_if_low_balance": True, "reference_id": reference_id[:40], "narration": narration[:30],
                  "notes": notes},
                 headers={"X-Payout-Idempotency": idempotency_key})


def fetch_payout(payout_id: str) -> dict:
    return _call("payout.fetch", _client().get, f"/v1/payouts/{payout_id}", {})


def verify_payment_signature(*, order_id: str, payment_id: str, signature: str) -> None:
    try:
        _client().utility.verify_payment_signature({
            "razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature})
    except (razorpay.errors.SignatureVerificationError, TypeError, ValueError, KeyError) as exc:
        raise InvalidSignature() from exc


def verify_webhook_signature(*, raw_body: str, signature: str) -> None:
    try:
        _client().utility.verify_webhook_signature(raw_body, signature, settings.RAZORPAY_WEBHOOK_SECRET)
    except (razorpay.errors.SignatureVerificationError, TypeError, ValueError) as exc:
        raise InvalidSignature("The webhook signature is not valid.") from exc
