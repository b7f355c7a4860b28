"""Payments use-cases, one module per subject: taking payments, webhooks, refunds, payouts, payee
accounts and escrow releases. The public names are importable from here."""

from .escrow import ledger_record
from .payees import payee_account_disable, payee_account_register
from .payments import payment_capture, payment_create, payment_fail, payment_return_url, payment_verify
from .payouts import (PAYOUT_BATCH_SIZE, PAYOUT_LEASE, payout_apply, payout_attempt, payout_gateway_failed,
                      payout_retry, payout_reverse, payout_schedule, payout_settle, payouts_process)
from .refunds import (REFUND_BATCH_SIZE, refund_attempt, refund_event_disagreement, refund_gateway_failed,
                      refund_request, refund_retry, refund_settle, refundable_amount, refunds_process)
from .webhooks import webhook_disagreements, webhook_process, webhook_receive, webhooks_retry_unprocessed

__all__ = [
    "PAYOUT_BATCH_SIZE", "PAYOUT_LEASE", "REFUND_BATCH_SIZE",
    "ledger_record",
    "payee_account_disable", "payee_account_register",
    "payment_capture", "payment_create", "payment_fail", "payment_return_url", "payment_verify",
    "payout_apply", "payout_attempt", "payout_gateway_failed", "payout_retry", "payout_reverse", "payout_schedule",
    "payout_settle", "payouts_process",
    "refund_attempt", "refund_event_disagreement", "refund_gateway_failed", "refund_request", "refund_retry",
    "refund_settle", "refundable_amount", "refunds_process",
    "webhook_disagreements", "webhook_process", "webhook_receive", "webhooks_retry_unprocessed",
]
