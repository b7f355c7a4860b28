import uuid

from cleanit import errors

from .models import Payment


def payment_for_participant(*, user, payment_id) -> Payment:
    """A payment its payer (or staff) may see; anyone else gets 404."""
    try:
        payment_id = uuid.UUID(str(payment_id))
    except ValueError:
        raise errors.NotFound("Payment not found.") from None
    payment = Payment.objects.select_related("payer").prefetch_related("refunds").filter(pk=payment_id).first()
    if payment is None or not (user.is_staff or payment.payer_id == user.pk):
        raise errors.NotFound("Payment not found.")
    return payment
