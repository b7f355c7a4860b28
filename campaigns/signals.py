from django.dispatch import Signal

# Sent once, after commit, when a campaign becomes funded (target reached, or >= 80% at expiry).
# Arguments: campaign. The jobs app creates the cleaning job from it.
campaign_funded = Signal()

# Sent inside the cancelling transaction when an admin cancels a campaign (everything raised is being
# refunded). Arguments: campaign, reason. The jobs app withdraws the campaign's job in the same transaction.
campaign_cancelled = Signal()

# Sent when a campaign would be ended because its creator deleted their account. Arguments: campaign.
# A receiver returns True when work paid from the campaign is already done (the jobs app: a cleanup
# waiting for verification), so the campaign is left to finish and the worker is still paid.
campaign_work_done = Signal()
