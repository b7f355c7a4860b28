"""The one way to notify a user, plus reading, preferences and the 90-day purge."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic

from .catalogue import OPTIONAL_CATEGORIES, get_event
from .models import Notification, NotificationPreference

RETENTION = timedelta(days=90)


def notify(
    *, user, event: str, title: str, body: str = "", link: str = "", dedupe_key: str | None = None
) -> Notification | None:
    """Store an in-app notification unless the user muted its category (``always`` events are
    never muted) or one with the same ``dedupe_key`` exists. Returns the notification or None.

    A suspended user gets only the ``always`` events (account, security, payments, refunds): they
    must learn why they were suspended and what happened to their money. A deleted account gets none."""
    event_type = get_event(event)
    if not _reachable(user, event_type):
        return None
    if not event_type.always:
        preference = _preference_of(user)
        if preference is not None and not preference.allows(event_type.category):
            return None
    values = {"user": user, "category": event_type.category, "event": event, "title": title[:200], "body": body,
              "link": link, "dedupe_key": dedupe_key or None}
    if not dedupe_key:  # one insert that cannot collide: no transaction of its own (3 statements and a lock less)
        return Notification.objects.create(**values)
    if Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
        return None
    try:
        with atomic():
            return Notification.objects.create(**values)
    except IntegrityError:  # the same dedupe_key written concurrently: the other one wins
        return None


def _reachable(user, event_type) -> bool:
    """A deleted account hears nothing; a suspended one only the ``always`` events."""
    if getattr(user, "deleted_at", None) is not None:
        return False
    return event_type.always or getattr(user, "is_active", True)


def _preference_of(user) -> NotificationPreference | None:
    """The user's switches: joined by the caller (select_related("notification_preference")), else read."""
    if get_user_model().notification_preference.is_cached(user):
        return getattr(user, "notification_preference", None)  # None: joined, and the user has no row
    return NotificationPreference.objects.filter(user=user).first()


def notify_many(*, users, event: str, title: str, body: str = "", link: str = "",
                dedupe_key: str | None = None) -> int:
    """:func:`notify` to each user, by the same rules, in one insert: everyone's preferences (and
    earlier notifications with ``dedupe_key``) are read at once. The number stored."""
    event_type = get_event(event)
    recipients = [user for user in users if _reachable(user, event_type)]
    if recipients and not event_type.always:
        muted = set(NotificationPreference.objects.filter(user__in=recipients, **{event_type.category: False})
                    .values_list("user_id", flat=True))
        recipients = [user for user in recipients if user.pk not in muted]
    if recipients and dedupe_key:
        told = set(Notification.objects.filter(user__in=recipients, dedupe_key=dedupe_key)
                   .values_list("user_id", flat=True))
        recipients = list({user.pk: user for user in recipients if user.pk not in told}.values())
    if not recipients:
        return 0
    try:
        with atomic():
            Notification.objects.bulk_create([
                Notification(user=user, category=event_type.category, event=event, title=title[:200], body=body,
                             link=link, dedupe_key=dedupe_key or None)
                for user in recipients])
    except IntegrityError:  # the same dedupe_key written concurrently: one by one, the other one wins its user
        return sum(1 for user in recipients
                   if notify(user=user, event=event, title=title, body=body, link=link,
                             dedupe_key=dedupe_key) is not None)
    return len(recipients)


def active_staff():
    """The people who act on admin notices: active staff accounts."""
    return get_user_model().objects.filter(is_staff=True, is_active=True)


def notify_staff(*, event: str, title: str, body: str = "", link: str = "", dedupe_key: str | None = None) -> int:
    return notify_many(users=active_staff(), event=event, title=title, body=body, link=link, dedupe_key=dedupe_key)


def notification_mark_read(*, user, notification_id, now: datetime | None = None) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise errors.NotFound("Notification not found.")
    if not notification.is_read:
        now = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, is_read=False).update(is_read=True, read_at=now)
        notification.is_read, notification.read_at = True, now
    return notification


def notification_mark_all_read(*, user, now: datetime | None = None, before: datetime | None = None) -> int:
    """Marks the user's unread notifications read (only those created before ``before``, when given)."""
    unread = Notification.objects.filter(user=user, is_read=False)
    if before is not None:
        unread = unread.filter(created_at__lt=before)
    return unread.update(is_read=True, read_at=now or timezone.now())


def preferences_update(*, user, **flags: bool) -> NotificationPreference:
    unknown = set(flags) - set(OPTIONAL_CATEGORIES)
    if unknown:
        raise errors.ValidationFailed(fields={name: ["Unknown notification category."] for name in sorted(unknown)})
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise errors.ValidationFailed(fields={name: ["Must be true or false."]})
    try:
        preference, _ = NotificationPreference.objects.get_or_create(user=user)
    except IntegrityError:
        preference = NotificationPreference.objects.get(user=user)
    if flags:
        NotificationPreference.objects.filter(pk=preference.pk).update(**flags)
        for name, value in flags.items():
            setattr(preference, name, value)
    return preference


def notifications_purge(*, now: datetime) -> int:
    deleted, _ = Notification.objects.filter(created_at__lt=now - RETENTION).delete()
    return deleted
