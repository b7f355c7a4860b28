import uuid

from cleanit import errors
from cleanit.userdata import export_user_data

from .models import CleanerKYC, User


def _as_uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise errors.NotFound("User not found.") from None


def user_get_public(*, user_id) -> User:
    user = User.objects.filter(pk=_as_uuid(user_id)).first()
    if user is None:
        raise errors.NotFound("User not found.")
    return user


def user_data_export(*, user: User) -> dict:
    return {"format": "cleanit-data-export/1", **export_user_data(user_id=user.pk)}


def kyc_of(*, user: User) -> CleanerKYC | None:
    return CleanerKYC.objects.filter(user=user).first()


def kyc_for(*, user: User) -> CleanerKYC:
    kyc = kyc_of(user=user)
    if kyc is None:
        raise errors.NotFound("No KYC details submitted yet.", code="kyc_not_submitted")
    return kyc


def kyc_for_user_id(*, user_id) -> CleanerKYC:
    kyc = CleanerKYC.objects.select_related("user").filter(user_id=_as_uuid(user_id)).first()
    if kyc is None:
        raise errors.NotFound("This user has no KYC details.", code="kyc_not_submitted")
    return kyc


def kyc_is_verified(*, user: User) -> bool:
    return CleanerKYC.objects.filter(user=user, status=CleanerKYC.Status.VERIFIED).exists()
