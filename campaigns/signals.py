from django.dispatch import Signal

# Sent once, after commit, when a campaign becomes funded (target reached, or >= 80% at expiry).
# Arguments: campaign. The jobs app creates the cleaning job from it.
campaign_funded = Signal()

# Sent inside the cancelling transaction when an admin cancels a campaign (everything raised is being
# refunded). Arguments: campaign, reason. The jobs app withdraws the campaign's job in the same transaction.
campaign_cancelled = Signal()
