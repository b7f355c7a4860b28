from cleanit.db import get_by_id, parse_uuid
from cleanit.userdata import export_user_data

from .discovery import (
    DaySlots,
    SearchResults,
    Slot,
    cleaner_cities,
    cleaner_get,
    cleaner_search,
    cleaner_services,
    free_slots,
    listed,
    packages_of,
    schedule_of,
    search_filters,
    service_get,
    slots_for,
)
from .errors import KycNotSubmitted
from .models import CleanerKYC, User


def user_get_public(*, user_id) -> User:
    return get_by_id(User.objects.all(), user_id, not_found="User not found.")


def email_in_use(*, email: str, exclude: User | None = None) -> bool:
    """Another account has this address in any letter case (rows stored before addresses were
    normalised may be mixed-case)."""
    accounts = User.objects.filter(email__iexact=email)
    if exclude is not None and exclude.pk:
        accounts = accounts.exclude(pk=exclude.pk)
    return accounts.exists()


def user_data_export(*, user: User) -> dict:
    return {"format": "cleanit-data-export/1", **export_user_data(user_id=user.pk)}


def kyc_of(*, user: User) -> CleanerKYC | None:
    return CleanerKYC.objects.filter(user=user).first()


def kyc_for(*, user: User) -> CleanerKYC:
    kyc = kyc_of(user=user)
    if kyc is None:
        raise KycNotSubmitted()
    return kyc


def kyc_for_user_id(*, user_id) -> CleanerKYC:
    user_pk = parse_uuid(user_id)
    kyc = CleanerKYC.objects.select_related("user").filter(user_id=user_pk).first() if user_pk else None
    if kyc is None:
        raise KycNotSubmitted("This user has no KYC details.")
    return kyc


def kyc_is_verified(*, user: User) -> bool:
    return CleanerKYC.objects.filter(user=user, status=CleanerKYC.Status.VERIFIED).exists()

