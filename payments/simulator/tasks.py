import hashlib
import hmac
import logging

import requests
from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import SimWebhook

logger = logging.getLogger(__name__)


def webhook_headers(body: str, event_id: str) -> dict:
    signature = hmac.new(settings.RAZORPAY_WEBHOOK_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": event_id}


@shared_task(name="payments.simulator.deliver_webhook", bind=True, max_retries=10)
def deliver_simulator_webhook(self, event_id: str) -> str:
    """POST one outbox webhook to the app, as Razorpay would; retried with backoff until 2xx."""
    webhook = SimWebhook.objects.filter(pk=event_id, delivered_at__isnull=True).first()
    if webhook is None:
        return "already delivered"
    headers = webhook_headers(webhook.body, webhook.event_id)
    try:
        if settings.PAYMENT_SIMULATOR_WEBHOOK_DELIVERY == "inprocess":
            from payments.services import webhook_receive

            webhook_receive(raw_body=webhook.body, signature=headers["X-Razorpay-Signature"], event_id=event_id)
        else:
            response = requests.post(settings.PAYMENT_SIMULATOR_WEBHOOK_URL, data=webhook.body.encode(),
                                     headers=headers, timeout=10)
            if response.status_code >= 300:
                raise RuntimeError(f"webhook answered {response.status_code}")
    except Exception as exc:  # any failure: note it and let Celery retry with backoff
        SimWebhook.objects.filter(pk=event_id).update(attempts=F("attempts") + 1, last_error=str(exc)[:255])
        logger.warning("simulator webhook %s not delivered: %s", event_id, exc)
        raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 60)) from exc
    SimWebhook.objects.filter(pk=event_id).update(attempts=F("attempts") + 1, delivered_at=timezone.now(),
                                                  last_error="")
    return "delivered"


def deliver_outbox_in_process() -> int:
    """Hand every webhook still in the outbox to the app in this process, oldest first; the number
    delivered. For demo data, made before the web server and the worker run: each event reaches the
    app when it happens, as it would have, and the queued deliveries find nothing left to do."""
    from payments.services import webhook_receive

    delivered = 0
    for webhook in SimWebhook.objects.filter(delivered_at__isnull=True).order_by("created_at"):
        webhook_receive(raw_body=webhook.body, signature=webhook_headers(webhook.body, webhook.event_id)[
            "X-Razorpay-Signature"], event_id=webhook.event_id)
        delivered += SimWebhook.objects.filter(pk=webhook.pk, delivered_at__isnull=True).update(
            delivered_at=timezone.now(), attempts=webhook.attempts + 1, last_error="")
    return delivered
