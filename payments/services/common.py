"""Small helpers shared by the payments services."""

from django.db import models


def fit(model: type[models.Model], field: str, text) -> str:
    """``text`` cut to the length the model's field stores."""
    return str(text)[:model._meta.get_field(field).max_length]


# Why a webhook was not applied. The ones where the gateway's event contradicts our record are
# listed by the daily reconciliation.
AMOUNT_MISMATCH = "amount mismatch"
REFUND_NEVER_SENT = "refund never sent"
OTHER_GATEWAY_REFUND = "another gateway refund"
DISAGREEMENTS = (AMOUNT_MISMATCH, REFUND_NEVER_SENT, OTHER_GATEWAY_REFUND)


def ignored(reason: str) -> str:
    return f"ignored: {reason}"
