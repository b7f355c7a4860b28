"""Small helpers shared by the payments services."""

from collections.abc import Callable

from django.db import IntegrityError, models

from cleanit.db import atomic

RECEIPT_NUMBER_ATTEMPTS = 3


def create_with_receipt_number(model: type[models.Model], **fields) -> models.Model:
    """Insert a payment or payout. Its receipt number is random and unique (a constraint on both stores):
    the rare clash with an existing number is retried with a fresh one (and the same id, when ``fields``
    name it) instead of failing the caller. Any other integrity error is the caller's."""
    attempts_left = RECEIPT_NUMBER_ATTEMPTS
    while True:
        record = model(**fields)
        try:
            with atomic():
                record.save(force_insert=True)
            return record
        except IntegrityError:
            attempts_left -= 1
            if not attempts_left or not model.objects.filter(receipt_number=record.receipt_number).exists():
                raise


def fit(model: type[models.Model], field: str, text) -> str:
    """``text`` cut to the length the model's field stores."""
    return str(text)[:model._meta.get_field(field).max_length]


def attempt_in_batches(next_batch: Callable[[], list],
                       attempt: Callable[[object], str | None]) -> tuple[int, list[str]]:
    """Attempt every record of each batch until a batch comes back empty; how many were attempted,
    and the problems worth an operator's attention (those that were flagged for an admin)."""
    attempted, problems = 0, []
    while batch := next_batch():
        for record in batch:
            problem = attempt(record)
            attempted += 1
            if problem and problem.startswith("flagged"):
                problems.append(problem)
    return attempted, problems


# Why a webhook was not applied. The ones where the gateway's event contradicts our record are
# listed by the daily reconciliation.
AMOUNT_MISMATCH = "amount mismatch"
REFUND_NEVER_SENT = "refund never sent"
OTHER_GATEWAY_REFUND = "another gateway refund"
DISAGREEMENTS = (AMOUNT_MISMATCH, REFUND_NEVER_SENT, OTHER_GATEWAY_REFUND)


def ignored(reason: str) -> str:
    return f"ignored: {reason}"
