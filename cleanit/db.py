"""Store-portable transaction helper.

Django's ``transaction.atomic`` is a no-op on django-mongodb-backend, which has its own
``atomic`` (a replica-set transaction). Every multi-document change that must be
all-or-nothing goes through :func:`atomic` so the same service code is atomic on both stores."""

import contextlib
import uuid
from collections.abc import Iterator

from django.db import IntegrityError, connections, transaction

from cleanit import errors

__all__ = ["atomic", "savepoint", "in_transaction", "on_commit", "is_mongodb", "parse_uuid", "get_by_id", "only_match",
           "update_or_create", "chunks"]


def is_mongodb(using: str = "default") -> bool:
    return connections[using].vendor == "mongodb"


def atomic(using: str = "default"):
    if is_mongodb(using):
        from django_mongodb_backend.transaction import atomic as mongo_atomic

        return mongo_atomic(using)
    return transaction.atomic(using=using)


def in_transaction(using: str = "default") -> bool:
    """Inside an atomic block (of either store)."""
    connection = connections[using]
    return connection.in_atomic_block or getattr(connection, "in_atomic_block_mongo", False)


def savepoint(using: str = "default"):
    """Around one write whose IntegrityError the caller catches (a duplicate insert, an update a unique
    constraint refuses): inside a transaction, an atomic block, so that on SQLite the error does not break it;
    outside one, nothing, since a single write in autocommit is atomic by itself (and a transaction would cost a
    BEGIN). On MongoDB a nested atomic block is no savepoint and a refused write aborts the whole transaction:
    callers there should know beforehand in the usual case, leaving the refusal to real races."""
    return atomic(using) if in_transaction(using) else contextlib.nullcontext()


def on_commit(func, using: str = "default") -> None:
    """Run ``func`` once the surrounding atomic block commits (at once outside one)."""
    transaction.on_commit(func, using=using)


def parse_uuid(value) -> uuid.UUID | None:
    """An opaque id from a URL, a form or a gateway payload; None when it is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def only_match(queryset):
    """The one row of a queryset filtered on a primary or unique key, or None. ``first()`` would order by the
    model's ordering (or the pk) first, and compiling that ORDER BY through the joins of a select_related cost
    more than the query (a booking with its parties: 4.0-4.5 ms -> 3.1 ms in-process, docs/benchmarks.md)."""
    return next(iter(queryset.order_by()[:1]), None)


def get_by_id(queryset, object_id, *, not_found: str):
    """The object with this opaque id in ``queryset``; NotFound (404) for an unknown or malformed id."""
    pk = parse_uuid(object_id)
    if pk is None:
        raise errors.NotFound(not_found)
    obj = only_match(queryset.filter(pk=pk))
    if obj is None:
        raise errors.NotFound(not_found)
    return obj


def update_or_create(model, *, lookup: dict, values: dict):
    """Django's update_or_create without the row lock it takes (row locks are not portable to MongoDB): a
    conditional update, else an insert; an insert that loses a race falls back to the update."""
    if not model.objects.filter(**lookup).update(**values):
        try:
            with atomic():
                model.objects.create(**lookup, **values)
        except IntegrityError:
            model.objects.filter(**lookup).update(**values)
    return model.objects.get(**lookup)


def chunks(queryset, size: int) -> Iterator[list]:
    """The rows of ``queryset`` in lists of ``size``, ordered by primary key, each list one query
    (keyset paging: rows the caller changes meanwhile are not skipped or repeated), so a batch over
    any number of rows holds one list in memory."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk
