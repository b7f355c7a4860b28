import uuid

from cleanit import errors
from cleanit.userdata import export_user_data

from .models import User


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
