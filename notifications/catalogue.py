"""The event catalogue. Every app registers the events it sends with :func:`register_event`
(from its AppConfig.ready); ``notify`` refuses unknown events, so the list here is complete.

Users may mute the optional categories; events marked ``always`` (payments, refunds, security,
account) are delivered whatever the preferences say."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Category(models.TextChoices):
    ACCOUNT = "account", "Account"
    SECURITY = "security", "Security"
    BOOKINGS = "bookings", "Bookings"
    CAMPAIGNS = "campaigns", "Campaigns"
    JOBS = "jobs", "Jobs"
    PAYMENTS = "payments", "Payments"


# The categories a user can switch off, in the order shown in settings.
OPTIONAL_CATEGORIES = (Category.BOOKINGS, Category.CAMPAIGNS, Category.JOBS, Category.PAYMENTS)


@dataclass(frozen=True)
class EventType:
    name: str
    category: str
    always: bool = False


_EVENTS: dict[str, EventType] = {}


def register_event(name: str, category: str, *, always: bool = False) -> EventType:
    if category not in Category.values:
        raise ValueError(f"unknown notification category {category!r}")
    if category in (Category.ACCOUNT, Category.SECURITY):
        always = True
    event = EventType(name=name, category=category, always=always)
    _EVENTS[name] = event
    return event


def get_event(name: str) -> EventType:
    try:
        return _EVENTS[name]
    except KeyError:
        raise LookupError(f"notification event {name!r} is not registered") from None


def all_events() -> list[EventType]:
    return sorted(_EVENTS.values(), key=lambda e: (e.category, e.name))


register_event("account.welcome", Category.ACCOUNT)
register_event("security.password_changed", Category.SECURITY)
register_event("security.account_locked", Category.SECURITY)
