"""Every text campaigns show people: notifications, refund reasons, field errors, flash messages
and form help. Numbers come from campaigns.rules, the same constants the services enforce."""

from __future__ import annotations

from django.urls import reverse

from cleanit.money import format_inr

from . import rules


def campaign_link(campaign_id) -> str:
    return reverse("campaigns:detail", args=[campaign_id])


def whole_rupees(paise: int) -> str:
    """'₹5,000' for round amounts (help texts), '₹5,000.50' otherwise."""
    return format_inr(paise).removesuffix(".00")


# --- field errors and form help ----------------------------------------------------------------------

def title_length() -> str:
    return f"Use {rules.TITLE_LENGTH[0]} to {rules.TITLE_LENGTH[1]} characters."


def description_length() -> str:
    return f"Use {rules.DESCRIPTION_LENGTH[0]} to {rules.DESCRIPTION_LENGTH[1]} characters."


def target_range() -> str:
    return f"The target must be between {format_inr(rules.TARGET_RANGE[0])} and {format_inr(rules.TARGET_RANGE[1])}."


LOCATION_OUTSIDE_INDIA = "The location must be in India."


def address_required() -> str:
    return f"Enter the address or a landmark (at most {rules.ADDRESS_MAX_LENGTH} characters)."


def minimum_contribution() -> str:
    return f"The minimum contribution is {format_inr(rules.MIN_CONTRIBUTION)}."


def only_still_needed(remaining: int) -> str:
    return f"Only {format_inr(remaining)} is still needed."


def help_title() -> str:
    return (f"{rules.TITLE_LENGTH[0]} to {rules.TITLE_LENGTH[1]} characters, "
            "e.g. “Clean up the lake path behind Sector 12”")


def help_description() -> str:
    return (f"{rules.DESCRIPTION_LENGTH[0]} to {rules.DESCRIPTION_LENGTH[1]} characters: what is dirty, how big, "
            "what cleaning it needs.")


def help_target() -> str:
    return f"{whole_rupees(rules.TARGET_RANGE[0])} to {whole_rupees(rules.TARGET_RANGE[1])}"


def help_photo() -> str:
    return (f"A photo of the place as it is now: {' or '.join(rules.PHOTO_FORMATS).replace('JPEG', 'JPG')}, "
            f"at most {rules.PHOTO_MAX_BYTES // (1024 * 1024)} MB.")


def help_contribution() -> str:
    return f"At least {whole_rupees(rules.MIN_CONTRIBUTION)}"


CANCEL_REASON_REQUIRED = "Give a reason: the creator and contributors will see it."

# --- refusals ----------------------------------------------------------------------------------------

CAMPAIGN_NOT_FOUND = "Campaign not found."

ONLY_CREATOR_CANCELS = "Only the creator can cancel this campaign."
CREATOR_CANCEL_REFUSED = "Only an active campaign that has raised nothing can be cancelled by its creator."
ADMIN_CANCEL_REFUSED = "This campaign can no longer be cancelled."
APPROVE_REFUSED = "Only a campaign waiting for approval can be approved."

# --- reasons kept on records -------------------------------------------------------------------------

CANCELLED_BY_CREATOR = "Cancelled by the creator"
CREATOR_ACCOUNT_DELETED = "The person who started this campaign deleted their account."
EXPIRED_REFUND_REASON = "The campaign expired before reaching its target."
LATE_PAYMENT_REFUND_REASON = "The campaign was no longer raising funds when your payment arrived."


def cancelled_refund_reason(reason: str) -> str:
    return f"Campaign cancelled: {reason}"


def contribution_description(campaign) -> str:
    return f"Contribution to “{campaign.title}”"


def spam_note(nearby: int) -> str:
    return f"{nearby} open campaigns within {rules.SPAM_RADIUS_METRES} m"


# --- flash messages (pages) --------------------------------------------------------------------------

CREATED_WAITING_FOR_APPROVAL = "Thank you! Your first campaign goes live once an admin approves it."
CREATED_LIVE = "Your campaign is live. Share it with your neighbours!"
CANCELLED_BY_YOU = "Your campaign is cancelled."

# --- notifications (each returns the title and body for notify) --------------------------------------


def to_approve(campaign, creator) -> dict:
    return {"title": f"New campaign to approve: {campaign.title}",
            "body": f"{creator.name} started their first campaign ({format_inr(campaign.target_amount)})."}


def flagged(note: str, address: str) -> dict:
    return {"title": "Possible spam: campaigns clustered in one spot", "body": f"{note}, around {address}."}


def approved(campaign) -> dict:
    return {"title": f"Your campaign is live: {campaign.title}",
            "body": "People can now contribute. Share it with your neighbours!"}


def cancelled(campaign, reason: str) -> dict:
    return {"title": f"Campaign cancelled: {campaign.title}",
            "body": f"{reason} Any contribution is being refunded in full."}


def contribution_received(campaign, name: str, amount: int) -> dict:
    return {"title": f"{name} contributed {format_inr(amount)}", "body": campaign.title}


def funded(campaign) -> dict:
    return {"title": f"Funded: {campaign.title}",
            "body": f"{format_inr(campaign.amount_raised)} raised. A cleaner will now be found for the job."}


def cleaned(campaign) -> dict:
    return {"title": f"Cleaned: {campaign.title}", "body": "The cleanup is verified. See the after-photo!"}


def expired(campaign) -> dict:
    return {"title": f"Campaign expired: {campaign.title}",
            "body": f"It did not reach {rules.funded_at_expiry_percent()}% of its target in time. "
                    "Every contribution is refunded in full."}
