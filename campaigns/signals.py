from django.dispatch import Signal

# Sent once, after commit, when a campaign becomes funded (target reached, or >= 80% at expiry).
# Arguments: campaign. The jobs app creates the cleaning job from it.
campaign_funded = Signal()
