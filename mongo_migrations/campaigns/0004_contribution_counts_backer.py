from django.conf import settings
from django.db import migrations, models

COUNTED = ("credited", "refunding", "refunded")


def mark_backers(apps, schema_editor):
    """Each backer row becomes a mark on that person's first credited contribution to the campaign."""
    backer_model = apps.get_model("campaigns", "CampaignBacker")
    contribution_model = apps.get_model("campaigns", "Contribution")
    for campaign_id, user_id in backer_model.objects.values_list("campaign_id", "user_id").iterator():
        first = (contribution_model.objects.filter(campaign_id=campaign_id, contributor_id=user_id, status__in=COUNTED)
                 .order_by("credited_at", "created_at").values_list("pk", flat=True).first())
        if first is not None:
            contribution_model.objects.filter(pk=first).update(counts_backer=True)


def unmark_backers(apps, schema_editor):
    backer_model = apps.get_model("campaigns", "CampaignBacker")
    contribution_model = apps.get_model("campaigns", "Contribution")
    backer_model.objects.bulk_create(
        backer_model(campaign_id=campaign_id, user_id=user_id)
        for campaign_id, user_id in contribution_model.objects.filter(counts_backer=True)
        .values_list("campaign_id", "contributor_id").iterator())


class Migration(migrations.Migration):
    """The backer rows become a mark on a contribution (one query less a credit, issue 12)."""

    dependencies = [
        ('campaigns', '0003_campaign_city'),
        ('payments', '0005_receipt_numbers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='contribution',
            name='counts_backer',
            field=models.BooleanField(default=False, help_text="The credited contribution that counts its contributor among the campaign's backers (one a person: a unique constraint decides it, so contributor_count is race-safe)"),
        ),
        migrations.RunPython(mark_backers, unmark_backers),
        migrations.AddConstraint(
            model_name='contribution',
            constraint=models.UniqueConstraint(condition=models.Q(('counts_backer', True)), fields=('campaign', 'contributor'), name='one_backer_contribution_per_person'),
        ),
        migrations.DeleteModel(
            name='CampaignBacker',
        ),
    ]
