from cleanit.userdata import register_exporter

from .models import User


def export_account(user_id):
    user = User.objects.get(pk=user_id)
    return {
        "id": str(user.pk),
        "email": user.email,
        "name": user.name,
        "phone": user.phone,
        "role": user.role,
        "email_verified": user.email_verified,
        "date_joined": user.date_joined.isoformat(),
        "terms_version": user.terms_version,
        "terms_accepted_at": user.terms_accepted_at.isoformat() if user.terms_accepted_at else None,
        "sign_in_devices": [
            {"issued_at": t.created_at.isoformat(), "expires_at": t.expires_at.isoformat(),
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
            for t in user.refresh_tokens.order_by("created_at")
        ],
    }


register_exporter("account", export_account)
