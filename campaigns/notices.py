"""Every text campaigns show people: notifications, refund reasons, field errors, flash messages
and form help. Numbers come from campaigns.rules, the same constants the services enforce."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from cleanit.dates import format_datetime
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


def city_required() -> str:
    return f"Enter the town or city (at most {rules.CITY_MAX_LENGTH} characters)."


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


def _photo_limits() -> str:
    return (f"{' or '.join(rules.PHOTO_FORMATS).replace('JPEG', 'JPG')}, "
            f"at most {rules.PHOTO_MAX_BYTES // (1024 * 1024)} MB")


def help_photo() -> str:
    return f"A photo of the place as it is now: {_photo_limits()}."


def help_city() -> str:
    return "The town or city the place is in, e.g. “Pune”: people find campaigns by it."


def help_photo_keep() -> str:
    return f"Leave it empty to keep the current photo; a new one: {_photo_limits()}."


def help_photo_again() -> str:
    return f"Please choose the photo again: a page cannot keep a chosen file after an error. {help_photo()}"


def help_contribution() -> str:
    return f"At least {whole_rupees(rules.MIN_CONTRIBUTION)}"


CANCEL_REASON_REQUIRED = "Give a reason: the creator and contributors will see it."

# --- refusals ----------------------------------------------------------------------------------------

CAMPAIGN_NOT_FOUND = "Campaign not found."

ONLY_CREATOR_CANCELS = "Only the creator can cancel this campaign."
ONLY_CREATOR_EDITS = "Only the person who started this campaign can edit it."
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
UPDATED_WAITING_FOR_APPROVAL = "Your changes are saved. The campaign goes live once an admin approves it."

# --- campaign page: refunds and sharing --------------------------------------------------------------


def _contributions(count: int) -> str:
    return f"{count} contribution{'' if count == 1 else 's'}"


def refund_statement(summary) -> str:
    """What became of the money of an expired or cancelled campaign (campaigns.selectors.RefundSummary)."""
    ended = f" The campaign ended on {format_datetime(summary.ended_at)}." if summary.ended_at else ""
    if summary.state == "refunding":
        so_far = f"{summary.refunded} refunded so far, " if summary.refunded else ""
        way = "its way" if summary.on_the_way == 1 else "their way"
        return (f"Everyone who contributed is being refunded in full: {so_far}"
                f"{_contributions(summary.on_the_way)} on {way}.{ended}")
    if summary.state == "refunded":
        last = f" The last refund was processed on {format_datetime(summary.last_refunded_at)}." \
            if summary.last_refunded_at else ""
        return f"Everyone who contributed was refunded in full ({_contributions(summary.refunded)}).{last}{ended}"
    return f"Nothing had been paid in, so there was nothing to refund.{ended}"


def share_url(campaign) -> str:
    return settings.SITE_URL + campaign_link(campaign.pk)


def whatsapp_share_url(campaign) -> str:
    return "https://wa.me/?text=" + quote(f"{campaign.title} {share_url(campaign)}", safe="")


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
