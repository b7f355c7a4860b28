"""The demo data's clock. The demo is made by the real services, which stamp the moment they run;
a story told in a few seconds would have every account, payment and notification made "just now".
Each step of the story therefore runs inside :func:`happened_at` (or a step of :func:`story`, for
hundreds of steps at once), which moves what the step stamped
to the moment the story says it happened. Only timestamps move: every status still changes through
the services, and services that take a ``now`` should be given the step's moment as well, so that
what they derive from it (expiry dates, deadlines, payout dates, texts quoting a date) agrees."""

from __future__ import annotations

import time
from bisect import bisect_right
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cache, reduce
from operator import or_
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

MILLISECOND = 0.001  # seconds


@cache
def _timestamped_models() -> tuple[tuple[type[models.Model], tuple[str, ...]], ...]:
    """The project's own models (its apps are the packages at the top of the project, unlike Django's
    and third parties', wherever the virtualenv lives) with their date-time fields."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for model in apps.get_models():
        if Path(model._meta.app_config.path).resolve().parent != base:
            continue
        fields = tuple(field.attname for field in model._meta.concrete_fields
                       if isinstance(field, models.DateTimeField))
        if fields:
            found.append((model, fields))
    return tuple(found)


@contextmanager
def happened_at(moment: datetime):
    """Every timestamp written inside the block (by the clock, not given by the caller) is moved
    to ``moment``, keeping the order and spacing of the writes within the block."""
    with story() as step, step(moment):
        yield


@contextmanager
def story():
    """Many steps, each at its own moment, moved in one pass when the story ends::

        with story() as step:
            for moment, action in events:
                with step(moment):
                    action()

    Each step's timestamps move as :func:`happened_at` moves a block's, but every model is searched
    once for the whole story instead of once per block: hundreds of steps (the demo cleaners) stay
    quick. A step must not rely on a time an earlier step of the same story stamped, since that
    time is moved only at the end."""
    steps: list[tuple[datetime, datetime, datetime]] = []

    @contextmanager
    def step(moment: datetime):
        started = _next_millisecond(after=timezone.now())
        yield
        steps.append((started, timezone.now(), moment))

    yield step
    _move(steps)


def _next_millisecond(*, after: datetime) -> datetime:
    """The start of the first millisecond after ``after``. MongoDB keeps milliseconds: a step starting
    within the millisecond of an earlier write (another step's, or one outside any step) could not tell
    that write from its own."""
    while True:
        now = timezone.now()
        started = now.replace(microsecond=now.microsecond // 1000 * 1000)
        if started > after:
            return started
        time.sleep(MILLISECOND / 4)


def _move(steps: list[tuple[datetime, datetime, datetime]]) -> None:
    """Each timestamp written within a step (started <= t <= finished) moves by that step's shift
    (its moment minus its start); times written between steps stay."""
    if not steps:
        return
    starts = [started for started, _, _ in steps]
    window = (steps[0][0], steps[-1][1])

    def moved(value: datetime | None) -> datetime | None:
        index = bisect_right(starts, value) - 1 if value is not None else -1
        if index < 0 or value > steps[index][1]:
            return value
        started, _, moment = steps[index]
        return value + (moment - started)

    for model, fields in _timestamped_models():
        written = reduce(or_, (models.Q(**{f"{name}__range": window}) for name in fields))
        for row in model._base_manager.filter(written).values("pk", *fields):
            changes = {name: moved(row[name]) for name in fields}
            changes = {name: value for name, value in changes.items() if value != row[name]}
            if changes:
                model._base_manager.filter(pk=row["pk"]).update(**changes)


def _clock(text: str) -> dict:
    hour, minute = (int(part) for part in text.split(":"))
    return {"hour": hour, "minute": minute, "second": 0, "microsecond": 0}


def on_day(now: datetime, days_ago: int, clock: str) -> datetime:
    """``clock`` ("HH:MM", India time) on the day ``days_ago`` (at least 1, so always past) days before ``now``."""
    if days_ago < 1:
        raise ValueError("a time today may still be ahead: give it as hours before now")
    return (timezone.localtime(now) - timedelta(days=days_ago)).replace(**_clock(clock))


def next_at(moment: datetime, clock: str) -> datetime:
    """The first ``clock`` ("HH:MM", India time) at or after ``moment``: when a daily batch picks something up."""
    candidate = timezone.localtime(moment).replace(**_clock(clock))
    return candidate if candidate >= moment else candidate + timedelta(days=1)
