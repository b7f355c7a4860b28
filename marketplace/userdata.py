from cleanit.userdata import register_anonymiser, register_exporter

from . import rules
from .models import CleanerKYC, CleanerProfile, User


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
        "account_changes": [
            {"at": entry.created_at.isoformat(), "action": entry.action, "detail": entry.detail}
            for entry in user.audit_entries.order_by("created_at")
        ],
    }


register_exporter("account", export_account)


def export_kyc(user_id):
    kyc = CleanerKYC.objects.filter(user_id=user_id).first()
    if kyc is None:
        return None
    return {"status": kyc.status, "id_type": kyc.id_type, "id_number": kyc.id_number_masked,
            "account_holder_name": kyc.account_holder_name, "payout_method": kyc.payout_method,
            "bank_account_number": kyc.bank_account_masked, "bank_ifsc": kyc.bank_ifsc, "upi_id": kyc.upi_id_masked,
            "submitted_at": kyc.submitted_at.isoformat(),
            "reviewed_at": kyc.reviewed_at.isoformat() if kyc.reviewed_at else None}


def anonymise_kyc(user_id):
    """Identity and bank details are personal data, not financial records: they go."""
    CleanerKYC.objects.filter(user_id=user_id).delete()


register_exporter("kyc", export_kyc)
register_anonymiser("kyc", anonymise_kyc)


def export_cleaner_profile(user_id):
    profile = CleanerProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        return None
    return {
        "bio": profile.bio, "experience_years": profile.experience_years, "hourly_rate": profile.hourly_rate,
        "street": profile.street, "city": profile.city, "state": profile.state, "pincode": profile.pincode,
        "latitude": profile.latitude, "longitude": profile.longitude, "is_available": profile.is_available,
        "rating_avg": profile.rating_avg, "rating_count": profile.rating_count,
        "completed_bookings": profile.completed_bookings, "created_at": profile.created_at.isoformat(),
        "schedule": [{"weekday": r.weekday, "start": rules.clock(r.start_minute), "end": rules.clock(r.end_minute)}
                     for r in profile.schedule.order_by("weekday", "start_minute")],
        "services": [{"name": p.name, "description": p.description, "price": p.price,
                      "duration_hours": p.duration_hours, "service_type": p.service_type, "is_active": p.is_active}
                     for p in profile.services.order_by("created_at")],
    }


def anonymise_cleaner_profile(user_id):
    """The street and the bio say who and where the person is; city, services and ratings stay with the
    (never listed again) profile that bookings will point at."""
    CleanerProfile.objects.filter(user_id=user_id).update(street="", bio="", is_available=False)


register_exporter("cleaner_profile", export_cleaner_profile)
register_anonymiser("cleaner_profile", anonymise_cleaner_profile)
