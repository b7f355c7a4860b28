"""The profile a person edits themselves: name and mobile number."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError

from cleanit import errors

from .. import notices
from ..models import User
from ..validators import normalize_indian_mobile

NAME_MAX_LENGTH = User._meta.get_field("name").max_length


def clean_name(name: str | None, field_errors: dict[str, list[str]]) -> str:
    name = (name or "").strip()
    if not name:
        field_errors["name"] = [notices.NAME_MISSING]
    elif len(name) > NAME_MAX_LENGTH:
        field_errors["name"] = [notices.name_too_long(NAME_MAX_LENGTH)]
    return name


def clean_phone(phone: str | None, field_errors: dict[str, list[str]]) -> str:
    try:
        return normalize_indian_mobile(phone)
    except DjangoValidationError as exc:
        field_errors["phone"] = list(exc.messages)
        return ""


def user_update_profile(*, user: User, name: str | None = None, phone: str | None = None) -> User:
    field_errors: dict[str, list[str]] = {}
    changes: dict[str, str] = {}
    if name is not None:
        name = clean_name(name, field_errors)
        if "name" not in field_errors:
            changes["name"] = name
    if phone is not None:
        phone = clean_phone(phone, field_errors)
        if "phone" not in field_errors:
            changes["phone"] = phone
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    if changes:
        User.objects.filter(pk=user.pk).update(**changes)
        for field, value in changes.items():
            setattr(user, field, value)
    return user
