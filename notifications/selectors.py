import uuid

from django.db.models import QuerySet

from cleanit import errors

from .catalogue import OPTIONAL_CATEGORIES
from .models import Notification, NotificationPreference


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(user=user).order_by("-created_at")
    if unread_only:
        queryset = queryset.filter(is_read=False)
    return queryset


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, is_read=False).count()


def preferences_for(*, user) -> dict[str, bool]:
    """``user`` may be a User or its primary key."""
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference()
    return {category: preference.allows(category) for category in OPTIONAL_CATEGORIES}


def parse_notification_id(raw) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise errors.NotFound("Notification not found.") from None
