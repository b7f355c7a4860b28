from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cleanit.errors import DomainError, NotFound
from cleanit.views import render_not_found

from . import notices, selectors, services
from .models import Payment


@login_required
@require_GET
def checkout(request, payment_id):
    """Pay for one payment: Razorpay Checkout in production, the simulator's page offline."""
    try:
        payment = selectors.payment_for_participant(user=request.user, payment_id=payment_id)
    except NotFound as exc:
        return render_not_found(request, exc.message)
    if payment.status == Payment.Status.CAPTURED:
        messages.info(request, notices.PAYMENT_ALREADY_COMPLETE)
        return redirect(services.payment_return_url(payment))
    if settings.PAYMENT_GATEWAY == "simulator":
        return redirect("simulator:checkout", order_id=payment.gateway_order_id)
    return render(request, "payments/checkout_razorpay.html", {
        "payment": payment, "key_id": settings.RAZORPAY_KEY_ID,
        "callback_url": request.build_absolute_uri(reverse("payments:callback")),
    })


@login_required
@require_http_methods(["GET", "POST"])
def callback(request):
    """Where Checkout sends the payer back: verify the signature, then return to what was paid for."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        payment = selectors.payment_for_order(payer=request.user, order_id=data.get("razorpay_order_id", ""))
    except NotFound as exc:
        return render_not_found(request, exc.message)
    if data.get("razorpay_signature"):
        try:
            services.payment_verify(payer=request.user, order_id=payment.gateway_order_id,
                                    payment_id=data.get("razorpay_payment_id", ""),
                                    signature=data.get("razorpay_signature", ""))
        except DomainError as exc:
            messages.error(request, notices.payment_not_confirmed(exc.message))
        else:
            messages.success(request, notices.PAYMENT_CONFIRMED)
    else:
        messages.error(request, notices.PAYMENT_NOT_TAKEN)
    return redirect(services.payment_return_url(payment))


@login_required
@require_GET
def receipt(request, payment_id):
    try:
        receipt = selectors.payment_receipt(user=request.user, payment_id=payment_id)
    except NotFound:
        return render_not_found(request, notices.RECEIPT_NOT_FOUND)
    return render(request, "payments/receipt.html", {"receipt": receipt, "payment": receipt.payment})


@login_required
@require_GET
def transactions(request):
    return render(request, "payments/transactions.html", selectors.transactions_for(user=request.user))


@login_required
@require_GET
def payout_receipt(request, payout_id):
    try:
        payout = selectors.payout_for_payee(user=request.user, payout_id=payout_id)
    except NotFound as exc:
        return render_not_found(request, exc.message)
    return render(request, "payments/payout_receipt.html", {"payout": payout})
