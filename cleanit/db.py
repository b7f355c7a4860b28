"""Store-portable transaction helper.

Django's ``transaction.atomic`` is a no-op on django-mongodb-backend, which has its own
``atomic`` (a replica-set transaction). Every multi-document change that must be
all-or-nothing goes through :func:`atomic` so the same service code is atomic on both stores."""

from django.db import connections, transaction

__all__ = ["atomic", "on_commit", "is_mongodb"]


def is_mongodb(using: str = "default") -> bool:
    return connections[using].vendor == "mongodb"


def atomic(using: str = "default"):
    if is_mongodb(using):
        from django_mongodb_backend.transaction import atomic as mongo_atomic

        return mongo_atomic(using)
    return transaction.atomic(using=using)


def on_commit(func, using: str = "default") -> None:
    """Run ``func`` once the surrounding atomic block commits (at once outside one)."""
    transaction.on_commit(func, using=using)
