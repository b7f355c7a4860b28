"""The one way a status changes.

Each model with a ``status`` keeps its state machine as ``TRANSITIONS = {source: {targets}}``.
:func:`transition` reads that table, performs the conditional update
``filter(pk=..., status__in=<allowed sources>, **where).update(status=to, **changes)`` and raises
:class:`~cleanit.errors.InvalidTransition` when no row matched: the row count decides, so two racing
callers can never both win, on SQLite and on MongoDB alike (no locks).

``sources`` narrows the table's sources for one use case (a creator may cancel only an active
campaign; the table also lets an admin cancel a funded one); it may never widen them. ``where``
adds conditions of the use case (the claimer, nothing raised yet...).

A model with a second status field (a booking's ``payment_status``) keeps its table as
``<FIELD>_TRANSITIONS`` (``PAYMENT_STATUS_TRANSITIONS``); pass ``field="payment_status"``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from cleanit import errors

__all__ = ["allowed_sources", "table", "transition", "try_transition", "transition_rows", "table_pairs"]


def table(model: type[models.Model], field: str = "status") -> dict:
    """The model's transition table for ``field``: TRANSITIONS for ``status``, <FIELD>_TRANSITIONS else."""
    return getattr(model, "TRANSITIONS" if field == "status" else f"{field.upper()}_TRANSITIONS")


def allowed_sources(model: type[models.Model], to: str, field: str = "status") -> set[str]:
    """The statuses from which ``to`` may be reached, read from the model's table."""
    return {str(source) for source, targets in table(model, field).items() if to in targets}


def table_pairs(model: type[models.Model], field: str = "status") -> set[tuple[str, str]]:
    """Every allowed (source, target) pair of the model's table."""
    return {(str(source), str(target)) for source, targets in table(model, field).items() for target in targets}


def _sources_for(model: type[models.Model], to: str, sources: Iterable[str] | None, field: str = "status") -> set[str]:
    permitted = allowed_sources(model, to, field)
    if not permitted:
        raise ValueError(f"{model.__name__}'s {field} table has no move to {to!r}")
    if sources is None:
        return permitted
    wanted = {str(source) for source in sources}
    if not wanted <= permitted:
        raise ValueError(f"{model.__name__}: {sorted(wanted - permitted)} -> {to!r} is not in TRANSITIONS")
    return wanted


def transition_rows(queryset: models.QuerySet, to: str, *, sources: Iterable[str] | None = None,
                    field: str = "status", **changes) -> int:
    """Move every row of ``queryset`` that is in an allowed source status to ``to``; the number moved.

    For sweeps (expire every overdue campaign...). Rows in other statuses are left alone."""
    if field in changes:
        raise ValueError("the target status is the 'to' argument")
    allowed = _sources_for(queryset.model, to, sources, field)
    return queryset.filter(**{f"{field}__in": allowed}).update(**{field: to}, **changes)


def transition(obj: models.Model, to: str, *, sources: Iterable[str] | None = None, where: dict | None = None,
               field: str = "status", **changes) -> models.Model:
    """Move ``obj`` to ``to`` or raise InvalidTransition (nothing changed). ``obj`` is updated in memory."""
    if not _move(obj, to, sources=sources, where=where, field=field, **changes):
        model = type(obj)
        current = model._default_manager.filter(pk=obj.pk).values_list(field, flat=True).first()
        raise errors.InvalidTransition(_refusal(model, current, to, field))
    return obj


def try_transition(obj: models.Model, to: str, *, sources: Iterable[str] | None = None, where: dict | None = None,
                   field: str = "status", **changes) -> bool:
    """:func:`transition` for callers to whom 'already moved' is a normal outcome (replays, sweeps):
    False instead of the error, and no query to explain the refusal."""
    return _move(obj, to, sources=sources, where=where, field=field, **changes)


def _move(obj: models.Model, to: str, *, sources: Iterable[str] | None, where: dict | None, field: str,
          **changes) -> bool:
    """The conditional update; on success ``obj`` is updated in memory (expressions read back)."""
    model = type(obj)
    moved = transition_rows(model._default_manager.filter(pk=obj.pk, **(where or {})), to, sources=sources,
                            field=field, **changes)
    if not moved:
        return False
    setattr(obj, field, to)
    expressions = []
    for name, value in changes.items():
        if hasattr(value, "resolve_expression"):
            expressions.append(name)
        else:
            setattr(obj, name, value)
    if expressions:
        obj.refresh_from_db(fields=expressions)
    return True


def _refusal(model: type[models.Model], current: str | None, to: str, field: str = "status") -> str:
    name = model._meta.verbose_name
    labels = dict(model._meta.get_field(field).choices)
    if current is None:
        return f"This {name} no longer exists."
    if current == to:
        return f"This {name} is already {str(labels.get(to, to)).lower()}."
    return (f"This {name} is {str(labels.get(current, current)).lower()} and cannot become "
            f"{str(labels.get(to, to)).lower()}.")
