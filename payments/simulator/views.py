"""The simulator's checkout, standing in for Razorpay Checkout: a page with the amount and Pay /
Fail buttons. A browser is sent on to the app's payment callback; a client that asks for JSON
gets the checkout result, as Razorpay's handler function would."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import engine
from .models import SimOrder


def _simulator_only():
    if settings.PAYMENT_GATEWAY != "simulator":
        raise Http404("The payment simulator is off.")


@require_GET
def checkout_page(request, order_id):
    _simulator_only()
    order = SimOrder.objects.filter(pk=order_id).first()
    if order is None:
        raise Http404("No such order.")
    return render(request, "payments/simulator_checkout.html", {"order": order})


@csrf_exempt  # a payment page on the gateway's side, posted to by its own form or by test clients
@require_POST
def checkout_pay(request, order_id):
    _simulator_only()
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        result = engine.checkout_pay(order_id=order_id, outcome=request.POST.get("outcome", ""))
    except engine.CheckoutError as exc:
        if wants_json:
            return JsonResponse({"error": {"code": "BAD_REQUEST_ERROR", "description": str(exc)}}, status=400)
        order = SimOrder.objects.filter(pk=order_id).first()
        if order is None:
            raise Http404("No such order.") from exc
        return render(request, "payments/simulator_checkout.html", {"order": order, "error": str(exc)}, status=400)
    if wants_json:
        return JsonResponse(result, status=200 if "error" not in result else 400)
    if "error" in result:
        params = {"razorpay_order_id": order_id, "error[code]": result["error"]["code"],
                  "error[description]": result["error"]["description"]}
    else:
        params = result
    return redirect(f"{reverse('payments:callback')}?{urlencode(params)}")
