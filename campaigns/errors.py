"""Campaign and contribution errors: one class per stable code (see cleanit.errors)."""

from cleanit import errors


class OwnCampaign(errors.NotAllowed):
    code = "own_campaign"
    default_message = "You cannot contribute to your own campaign."


class CampaignNotActive(errors.Conflict):
    code = "campaign_not_active"
    default_message = "This campaign is not accepting contributions."



class CampaignNotDraft(errors.Conflict):
    code = "campaign_not_draft"
    default_message = "Only a campaign waiting for approval can be edited: this one is already approved or ended."
