from cleanit.userdata import register_anonymiser, register_exporter

from .models import Campaign, Contribution
from .services import campaigns_anonymise_creator


def export_campaigns(user_id):
    return {
        "campaigns": [
            {"id": str(c.pk), "title": c.title, "status": c.status, "target_amount": c.target_amount,
             "amount_raised": c.amount_raised, "address": c.address, "city": c.city,
             "created_at": c.created_at.isoformat()}
            for c in Campaign.objects.filter(creator_id=user_id).order_by("created_at")
        ],
        "contributions": [
            {"id": str(c.pk), "campaign_id": str(c.campaign_id), "amount": c.amount, "status": c.status,
             "created_at": c.created_at.isoformat()}
            for c in Contribution.objects.filter(contributor_id=user_id).order_by("created_at")
        ],
    }


register_exporter("campaigns", export_campaigns)


register_anonymiser("campaigns", lambda user_id: campaigns_anonymise_creator(user_id=user_id))
