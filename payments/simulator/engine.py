"""Razorpay's REST API and checkout, simulated: the subset Cleanit uses (orders, payments,
refunds, RazorpayX contacts, fund accounts and payouts), with Razorpay's shapes, error bodies,
idempotency headers and signatures. Webhooks go out through an outbox (SimWebhook) that a Celery
task delivers, signed with RAZORPAY_WEBHOOK_SECRET and carrying a fresh x-razorpay-event-id.

Faults: PAYMENT_SIMULATOR_FAILURE_RATE of the API calls fail. PAYMENT_SIMULATOR_FAILURE_MODE
"error" answers 503 before doing anything; "timeout" does the work and then loses the response
(the caller sees requests.Timeout), which is what idempotency keys exist for; "mixed" picks one."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
import secrets
import string
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import IntegrityError

from cleanit.db import atomic, on_commit

from .models import SimOrder, SimPayment, SimPayout, SimRefund, SimWebhook

_ALPHABET = string.ascii_letters + string.digits
_random = random.Random()


def new_id(prefix: str) -> str:
    return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(14))}"


@dataclass
class SimResponse:
    status: int
    body: dict


def _error(status: int, code: str, description: str) -> SimResponse:
    return SimResponse(status, {"error": {"code": code, "description": description, "source": "NA",
                                          "step": "NA", "reason": "NA", "metadata": {}}})


def _bad_request(description: str) -> SimResponse:
    return _error(400, "BAD_REQUEST_ERROR", description)


def sign(message: str, secret: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


# --- entities in Razorpay's shape --------------------------------------------------------------

def order_entity(order: SimOrder) -> dict:
    paid = order.status == "paid"
    return {"id": order.id, "entity": "order", "amount": order.amount, "amount_paid": order.amount if paid else 0,
            "amount_due": 0 if paid else order.amount, "currency": order.currency, "receipt": order.receipt,
            "offer_id": None, "status": order.status, "attempts": order.attempts, "notes": order.notes or [],
            "created_at": int(order.created_at.timestamp())}


def payment_entity(payment: SimPayment) -> dict:
    failed = payment.status == "failed"
    refund_status = None
    if payment.amount_refunded:
        refund_status = "full" if payment.amount_refunded >= payment.amount else "partial"
    return {"id": payment.id, "entity": "payment", "amount": payment.amount, "currency": "INR",
            "base_amount": payment.amount, "status": payment.status, "order_id": payment.order_id,
            "invoice_id": None, "international": False, "method": "upi",
            "amount_refunded": payment.amount_refunded, "amount_transferred": 0, "refund_status": refund_status,
            "captured": payment.status == "captured", "description": payment.order.notes.get("description", "")
            if isinstance(payment.order.notes, dict) else "",
            "vpa": "payer@simulator", "email": "", "contact": "", "notes": payment.order.notes or [],
            "fee": 0, "tax": 0,
            "error_code": "BAD_REQUEST_ERROR" if failed else None,
            "error_description": payment.error_description or None,
            "error_source": "customer" if failed else None, "error_step": "payment_authorization" if failed else None,
            "error_reason": "payment_failed" if failed else None, "acquirer_data": {},
            "created_at": int(payment.created_at.timestamp())}


def refund_entity(refund: SimRefund) -> dict:
    return {"id": refund.id, "entity": "refund", "amount": refund.amount, "currency": "INR",
            "payment_id": refund.payment_id, "notes": refund.notes or [], "receipt": refund.receipt or None,
            "acquirer_data": {"arn": None}, "created_at": int(refund.created_at.timestamp()), "batch_id": None,
            "status": refund.status, "speed_processed": "normal", "speed_requested": "normal"}


def payout_entity(payout: SimPayout) -> dict:
    return {"id": payout.id, "entity": "payout", "fund_account_id": payout.fund_account_id, "amount": payout.amount,
            "currency": "INR", "notes": payout.notes or [], "fees": 0, "tax": 0, "status": payout.status,
            "purpose": payout.purpose, "utr": payout.utr or None, "mode": payout.mode,
            "reference_id": payout.reference_id or None, "narration": payout.narration or None, "batch_id": None,
            "failure_reason": None, "status_details": None, "created_at": int(payout.created_at.timestamp()),
            "fee_type": ""}


# --- webhooks ------------------------------------------------------------------------------------

def queue_webhook(event_type: str, payload: dict) -> SimWebhook:
    contains = list(payload)
    body = json.dumps({"entity": "event", "account_id": "acc_CleanitSimulator", "event": event_type,
                       "contains": contains, "payload": {k: {"entity": v} for k, v in payload.items()},
                       "created_at": int(time.time())}, separators=(",", ":"))
    webhook = SimWebhook.objects.create(event_id=new_id("evt"), event_type=event_type, body=body)
    event_id = webhook.event_id

    def deliver():
        from .tasks import deliver_simulator_webhook

        deliver_simulator_webhook.delay(event_id)

    on_commit(deliver)
    return webhook


# --- checkout (the browser side) --------------------------------------------------------------

class CheckoutError(Exception):
    pass


def checkout_pay(*, order_id: str, outcome: str) -> dict:
    """Pay (or fail to pay) an order as a customer would on Razorpay Checkout."""
    if outcome not in ("success", "failure"):
        raise CheckoutError("outcome must be success or failure")
    with atomic():
        order = SimOrder.objects.filter(pk=order_id).first()
        if order is None:
            raise CheckoutError("No such order.")
        if order.status == "paid":
            raise CheckoutError("This order is already paid.")
        SimOrder.objects.filter(pk=order.pk).update(attempts=order.attempts + 1, status="attempted")
        if outcome == "success":
            paid = SimOrder.objects.filter(pk=order.pk).exclude(status="paid").update(status="paid")
            if not paid:
                raise CheckoutError("This order is already paid.")
            payment = SimPayment.objects.create(id=new_id("pay"), order=order, amount=order.amount,
                                                status="captured")
            queue_webhook("payment.captured", {"payment": payment_entity(payment)})
            return {"razorpay_order_id": order.id, "razorpay_payment_id": payment.id,
                    "razorpay_signature": sign(f"{order.id}|{payment.id}", settings.RAZORPAY_KEY_SECRET)}
        payment = SimPayment.objects.create(id=new_id("pay"), order=order, amount=order.amount, status="failed",
                                            error_description="Payment failed because the customer declined it.")
        queue_webhook("payment.failed", {"payment": payment_entity(payment)})
        return {"error": {"code": "BAD_REQUEST_ERROR", "description": payment.error_description,
                          "source": "customer", "step": "payment_authorization", "reason": "payment_failed",
                          "metadata": {"order_id": order.id, "payment_id": payment.id}}}


# --- the REST API ----------------------------------------------------------------------------

_ROUTES: list[tuple[str, re.Pattern, str]] = []


def _route(method: str, pattern: str):
    def decorator(func):
        _ROUTES.append((method, re.compile(f"^{pattern}$"), func.__name__))
        return func

    return decorator


def handle(method: str, path: str, *, auth, headers: dict, body: dict | None) -> SimResponse:
    """Answer one API call. Raises requests.Timeout for simulated lost responses."""
    if not auth or tuple(auth) != (settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET):
        return _bad_request("Authentication failed")
    fault = _pick_fault()
    if fault == "error":
        return _error(503, "SERVER_ERROR", "The server is temporarily unavailable (simulated fault).")
    for route_method, pattern, name in _ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            response = globals()[name](body=body or {}, headers=headers, **match.groupdict())
            if fault == "timeout":
                raise requests.Timeout("simulated timeout: the request was processed, the response was lost")
            return response
    return _bad_request("The requested URL was not found on the server.")


def _pick_fault() -> str | None:
    rate = float(getattr(settings, "PAYMENT_SIMULATOR_FAILURE_RATE", 0) or 0)
    if rate <= 0 or _random.random() >= rate:
        return None
    mode = getattr(settings, "PAYMENT_SIMULATOR_FAILURE_MODE", "error")
    return _random.choice(["error", "timeout"]) if mode == "mixed" else mode


@_route("post", r"/v1/orders")
def create_order(*, body, headers):
    amount, currency = body.get("amount"), body.get("currency", "INR")
    if not isinstance(amount, int) or amount < 100:
        return _bad_request("The amount must be atleast INR 1.00")
    if currency != "INR":
        return _bad_request("Currency is not supported")
    order = SimOrder.objects.create(id=new_id("order"), amount=amount, currency=currency,
                                    receipt=str(body.get("receipt", ""))[:40], notes=body.get("notes") or {})
    return SimResponse(200, order_entity(order))


@_route("get", r"/v1/orders/(?P<order_id>[^/]+)")
def fetch_order(*, body, headers, order_id):
    order = SimOrder.objects.filter(pk=order_id).first()
    return SimResponse(200, order_entity(order)) if order else _bad_request("The id provided does not exist")


@_route("get", r"/v1/payments/(?P<payment_id>[^/]+)")
def fetch_payment(*, body, headers, payment_id):
    payment = SimPayment.objects.select_related("order").filter(pk=payment_id).first()
    return SimResponse(200, payment_entity(payment)) if payment else _bad_request("The id provided does not exist")


@_route("post", r"/v1/payments/(?P<payment_id>[^/]+)/refund")
def create_refund(*, body, headers, payment_id):
    key = headers.get("X-Refund-Idempotency", "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{10,64}", key):
        return _bad_request("X-Refund-Idempotency header is required (10-64 characters of A-Z a-z 0-9 _ -)")
    existing = SimRefund.objects.filter(idempotency_key=key).first()
    if existing:
        if existing.payment_id != payment_id or ("amount" in body and body["amount"] != existing.amount):
            return _error(409, "BAD_REQUEST_ERROR", "Idempotency key reused with a different request")
        return SimResponse(200, refund_entity(existing))
    try:
        with atomic():
            payment = SimPayment.objects.select_related("order").filter(pk=payment_id).first()
            if payment is None:
                return _bad_request("The id provided does not exist")
            if payment.status != "captured":
                return _bad_request("The payment has not been captured")
            remaining = payment.amount - payment.amount_refunded
            amount = body.get("amount", remaining)
            if not isinstance(amount, int) or amount < 100 or amount > remaining:
                return _bad_request("The refund amount provided is greater than amount captured")
            moved = SimPayment.objects.filter(pk=payment.pk, amount_refunded=payment.amount_refunded).update(
                amount_refunded=payment.amount_refunded + amount)
            if not moved:
                return _error(409, "BAD_REQUEST_ERROR", "Another refund of this payment is in progress")
            refund = SimRefund.objects.create(id=new_id("rfnd"), payment=payment, amount=amount, idempotency_key=key,
                                              notes=body.get("notes") or {}, receipt=str(body.get("receipt", ""))[:40])
            payment.amount_refunded += amount
            queue_webhook("refund.processed", {"refund": refund_entity(refund), "payment": payment_entity(payment)})
    except IntegrityError:  # the same key raced in: answer with the refund that won
        winner = SimRefund.objects.filter(idempotency_key=key).first()
        return SimResponse(200, refund_entity(winner)) if winner else _error(409, "BAD_REQUEST_ERROR", "Retry")
    return SimResponse(200, refund_entity(refund))


@_route("get", r"/v1/refunds/(?P<refund_id>[^/]+)")
def fetch_refund(*, body, headers, refund_id):
    refund = SimRefund.objects.filter(pk=refund_id).first()
    return SimResponse(200, refund_entity(refund)) if refund else _bad_request("The id provided does not exist")


def _stable_id(prefix: str, body: dict) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return f"{prefix}_{digest[:14]}"


@_route("post", r"/v1/contacts")
def create_contact(*, body, headers):
    if not body.get("name"):
        return _bad_request("The name field is required.")
    # Identical details return the existing contact, as RazorpayX does.
    return SimResponse(200, {"id": _stable_id("cont", body), "entity": "contact", "active": True, **body,
                             "created_at": int(time.time())})


@_route("post", r"/v1/fund_accounts")
def create_fund_account(*, body, headers):
    account_type = body.get("account_type")
    if not body.get("contact_id") or account_type not in ("bank_account", "vpa"):
        return _bad_request("contact_id and account_type (bank_account or vpa) are required.")
    return SimResponse(200, {"id": _stable_id("fa", body), "entity": "fund_account", "active": True, **body,
                             "created_at": int(time.time())})


@_route("post", r"/v1/payouts")
def create_payout(*, body, headers):
    key = headers.get("X-Payout-Idempotency", "")
    if not re.fullmatch(r"[A-Za-z0-9 _-]{4,36}", key):
        return _bad_request("X-Payout-Idempotency header is required (4-36 characters of A-Z a-z 0-9 space _ -)")
    amount = body.get("amount")
    refusal = None
    if not isinstance(amount, int) or amount < 100 or not body.get("fund_account_id"):
        refusal = _bad_request("amount (at least 100 paise) and fund_account_id are required.")
    elif body.get("mode") not in ("IMPS", "NEFT", "RTGS", "UPI", "card"):
        refusal = _bad_request("Invalid mode")
    if refusal is None:
        try:  # made at once; the key's uniqueness finds a repeated request (no look-up first)
            with atomic():
                payout = SimPayout.objects.create(
                    id=new_id("pout"), idempotency_key=key, fund_account_id=body["fund_account_id"], amount=amount,
                    mode=body["mode"], purpose=str(body.get("purpose", "payout")), notes=body.get("notes") or {},
                    reference_id=str(body.get("reference_id", ""))[:40],
                    narration=str(body.get("narration", ""))[:30],
                    status="processed", utr=f"SIMUTR{secrets.randbelow(10**12):012d}",
                )
                queue_webhook("payout.processed", {"payout": payout_entity(payout)})
        except IntegrityError:
            pass
        else:
            response = payout_entity(payout)
            response["status"] = "processing"  # the API answers before the bank does; the webhook says processed
            return SimResponse(200, response)
    existing = SimPayout.objects.filter(idempotency_key=key).first()
    if existing is None:
        return refusal or _error(409, "BAD_REQUEST_ERROR", "Retry")
    if existing.amount != body.get("amount") or existing.fund_account_id != body.get("fund_account_id"):
        return _bad_request("Different request body sent for the same idempotency header")
    return SimResponse(200, payout_entity(existing))


@_route("get", r"/v1/payouts/(?P<payout_id>[^/]+)")
def fetch_payout(*, body, headers, payout_id):
    payout = SimPayout.objects.filter(pk=payout_id).first()
    return SimResponse(200, payout_entity(payout)) if payout else _bad_request("The id provided does not exist")



def payout_outcome(*, payout_id: str, outcome: str) -> SimPayout:
    """What a bank may do to a payout after the fact: fail it, or reverse a processed one. Sends
    the matching webhook, as RazorpayX does (tests, demo data, the simulator's admin)."""
    if outcome not in ("failed", "reversed"):
        raise ValueError("outcome must be failed or reversed")
    with atomic():
        payout = SimPayout.objects.get(pk=payout_id)
        payout.status = outcome
        SimPayout.objects.filter(pk=payout.pk).update(status=outcome)
        entity = payout_entity(payout)
        if outcome == "failed":
            entity["status_details"] = {"description": "The beneficiary bank rejected the credit.",
                                        "source": "beneficiary_bank", "reason": "beneficiary_bank_rejected"}
        queue_webhook(f"payout.{outcome}", {"payout": entity})
    return payout
