"""The one way to notify a user, plus reading, preferences and the 90-day purge."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils import timezone

from cleanit import errors
from cleanit.db import atomic, chunks, savepoint

from .catalogue import OPTIONAL_CATEGORIES, EventType, get_event
from .models import Notification, NotificationPreference

RETENTION = timedelta(days=90)
NOTIFY_CHUNK = 500  # notifications sent together by notify_batch: a few queries per chunk


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
    notification = _notification(user=user, event_type=event_type, title=title, body=body, link=link,
                                 dedupe_key=dedupe_key)
    if not dedupe_key:  # one insert that cannot collide: no transaction of its own (3 statements and a lock less)
        notification.save(force_insert=True)
        return notification
    if Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
        return None
    try:
        with savepoint():  # inside a caller's transaction a lost race must not break it
            notification.save(force_insert=True)
        return notification
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


def _notification(*, user, event_type: EventType, title: str, body: str = "", link: str = "",
                  dedupe_key: str | None = None) -> Notification:
    return Notification(user=user, category=event_type.category, event=event_type.name, title=title[:200],
                        body=body, link=link, dedupe_key=dedupe_key or None)


def notify_batch(messages: Iterable[dict]) -> int:
    """:func:`notify` for many messages (each one's keyword arguments), by the same rules, in a few
    queries per NOTIFY_CHUNK messages: the preferences, the dedupe keys already used, one insert. A
    chunk that meets a concurrent sender's dedupe key is sent one message at a time instead (the
    other sender wins those). Returns how many notifications were stored."""
    messages = iter(messages)
    sent = 0
    while chunk := list(islice(messages, NOTIFY_CHUNK)):
        sent += _notify_chunk(chunk)
    return sent


def _notify_chunk(messages: list[dict]) -> int:
    typed = [(message, get_event(message["event"])) for message in messages]
    wanted = [(message, event_type) for message, event_type in typed if _reachable(message["user"], event_type)]
    # The switches of the users whose preference came with them (select_related), the others' in one read.
    joined = get_user_model().notification_preference
    optional = [message["user"] for message, event_type in wanted if not event_type.always]
    preferences = {user.pk: _preference_of(user) for user in optional if joined.is_cached(user)}
    unread = {user.pk for user in optional if user.pk not in preferences}
    if unread:
        preferences.update((preference.user_id, preference)
                           for preference in NotificationPreference.objects.filter(user_id__in=unread))
    preferences = {user_id: preference for user_id, preference in preferences.items() if preference is not None}
    wanted = [(message, event_type) for message, event_type in wanted
              if event_type.always or message["user"].pk not in preferences
              or preferences[message["user"].pk].allows(event_type.category)]
    keyed = [message for message, _ in wanted if message.get("dedupe_key")]
    used = set(Notification.objects.filter(dedupe_key__in={m["dedupe_key"] for m in keyed},
                                           user_id__in={m["user"].pk for m in keyed})
               .values_list("user_id", "dedupe_key")) if keyed else set()
    sending, rows = [], []
    for message, event_type in wanted:
        if key := message.get("dedupe_key"):
            if (message["user"].pk, key) in used:
                continue
            used.add((message["user"].pk, key))
        sending.append(message)
        rows.append(_notification(event_type=event_type, **{k: v for k, v in message.items() if k != "event"}))
    if not rows:
        return 0
    if not keyed:  # nothing that can collide: one insert (one row: without bulk_create's transaction)
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        else:
            Notification.objects.bulk_create(rows)
        return len(rows)
    try:
        with atomic():  # all or none, so that the one-by-one retry below cannot send one twice
            Notification.objects.bulk_create(rows)
    except IntegrityError:
        return sum(1 for message in sending if notify(**message) is not None)
    return len(rows)


def notify_many(*, users, event: str, title: str, body: str = "", link: str = "",
                dedupe_key: str | None = None) -> int:
    """The same notification to each of ``users`` (a queryset is read NOTIFY_CHUNK users at a time)."""
    def messages() -> Iterator[dict]:
        groups = chunks(users, NOTIFY_CHUNK) if isinstance(users, QuerySet) else [users]
        for group in groups:
            for user in group:
                yield {"user": user, "event": event, "title": title, "body": body, "link": link,
                       "dedupe_key": dedupe_key}

    return notify_batch(messages())


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
