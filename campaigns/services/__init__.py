"""Community campaign use-cases, one module per subject: creation (and approval), editing a draft, cancellation
(and refunds), contributions (and the payments callbacks), funding, cleanup (driven by the job),
expiry, personal data (account deletion). The public names are importable from here; the numbers
the rules use are in campaigns.rules.

Money moves through ``payments`` (orders, escrow, refunds); every status change goes through
cleanit.statemachine and the models' TRANSITIONS."""

from .cancellation import (campaign_cancel_by_admin, campaign_cancel_by_creator, campaign_refund_contributors,
                           campaigns_end_for_deleted_creator, contribution_refund)
from .cleanup import campaign_close, campaign_mark_cleaned, campaign_reopen_after_reversal
from .contributions import (CAPTURE_JOINS, capture_annotations, contribution_return_url, contribution_start,
                            on_contribution_captured, on_contribution_failed, on_contribution_refunded)
from .creation import campaign_approve, campaign_create, campaign_photo_check
from .editing import campaign_check_editable, campaign_update
from .expiry import campaigns_expire
from .funding import campaign_fund
from .personal_data import campaign_photos_remove, campaigns_anonymise_creator

__all__ = [
    "campaign_approve", "campaign_cancel_by_admin", "campaign_cancel_by_creator", "campaign_check_editable",
    "campaign_close", "campaign_create", "campaign_fund", "campaign_photo_check", "campaign_mark_cleaned", "campaign_photos_remove",
    "campaign_refund_contributors", "campaign_reopen_after_reversal", "campaign_update",
    "campaigns_anonymise_creator", "campaigns_end_for_deleted_creator", "campaigns_expire", "contribution_refund",
    "CAPTURE_JOINS", "capture_annotations", "contribution_return_url", "contribution_start", "on_contribution_captured", "on_contribution_failed",
    "on_contribution_refunded",
]
