from cleanit.userdata import register_exporter

from .models import Payout


def export_payouts(user_id):
    return [
        {"id": str(p.pk), "description": p.description, "amount": p.amount, "status": p.status,
         "paid_at": p.paid_at.isoformat() if p.paid_at else None, "utr": p.utr}
        for p in Payout.objects.filter(payee_id=user_id).order_by("created_at")
    ]


register_exporter("payouts", export_payouts)
