"""The person's money records for "download my data": what they paid, what was refunded to them,
what was paid out to them and where payouts go (masked). Gateway keys and signatures are not kept
on these records; internal gateway account ids are left out."""

from cleanit.userdata import register_exporter

from .models import PayeeAccount, Payment, Payout, Refund


def _when(moment):
    return moment.isoformat() if moment else None


def export_payments(user_id):
    payee_account = PayeeAccount.objects.filter(user_id=user_id).first()
    return {
        "payments": [
            {"id": str(p.pk), "description": p.description, "amount": p.amount, "currency": p.currency,
             "status": p.status, "for": {"kind": p.payable_kind, "id": p.payable_id},
             "gateway_payment_id": p.gateway_payment_id, "created_at": _when(p.created_at),
             "captured_at": _when(p.captured_at), "failed_at": _when(p.failed_at), "failure_reason": p.failure_reason}
            for p in Payment.objects.filter(payer_id=user_id).order_by("created_at")
        ],
        "refunds": [
            {"id": str(r.pk), "payment_id": str(r.payment_id), "amount": r.amount, "status": r.status,
             "reason": r.reason, "created_at": _when(r.created_at), "refunded_at": _when(r.refunded_at)}
            for r in Refund.objects.filter(payment__payer_id=user_id).order_by("created_at")
        ],
        "payouts": [
            {"id": str(p.pk), "description": p.description, "amount": p.amount, "status": p.status,
             "for": {"kind": p.source_kind, "id": p.source_id}, "created_at": _when(p.created_at),
             "paid_at": _when(p.paid_at), "utr": p.utr, "reversed_at": _when(p.reversed_at)}
            for p in Payout.objects.filter(payee_id=user_id).order_by("created_at")
        ],
        "payout_account": {"destination": payee_account.destination, "mode": payee_account.mode,
                           "active": payee_account.is_active} if payee_account else None,
    }


register_exporter("payments", export_payments)
