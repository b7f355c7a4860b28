from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns import notices, selectors, services
from campaigns.models import Campaign, Contribution
from cleanit.errors import DomainError


def _absolute(request, field) -> str | None:
    if not field:
        return None
    url = field.url
    return request.build_absolute_uri(url) if request is not None else url


class CampaignSerializer(serializers.ModelSerializer):
    creator_id = serializers.UUIDField(read_only=True)
    photo_url = serializers.SerializerMethodField()
    after_photo_url = serializers.SerializerMethodField()
    days_left = serializers.IntegerField(read_only=True, allow_null=True)
    progress_percent = serializers.IntegerField(read_only=True)
    distance_km = serializers.FloatField(read_only=True, allow_null=True,
                                         help_text="from the point searched around (lat, lng); null without one")

    class Meta:
        model = Campaign
        fields = ["id", "creator_id", "title", "description", "target_amount", "amount_raised", "contributor_count",
                  "status", "latitude", "longitude", "address", "city", "photo_url", "after_photo_url", "expires_at",
                  "created_at", "days_left", "progress_percent", "funded_at", "distance_km"]
        read_only_fields = fields

    def get_photo_url(self, campaign) -> str | None:
        return _absolute(self.context.get("request"), campaign.photo)

    def get_after_photo_url(self, campaign) -> str | None:
        return _absolute(self.context.get("request"), campaign.after_photo)


class CampaignCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000)
    target_amount = serializers.IntegerField(help_text="paise, ₹500 to ₹50,000 (50000 to 5000000)")
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    address = serializers.CharField(max_length=500)
    city = serializers.CharField(max_length=200, required=False,
                                 help_text="town or city; when left out, the last part of the address "
                                           "(\"Juhu Beach, Mumbai\" -> \"Mumbai\")")
    photo = serializers.FileField(help_text="JPG or PNG, at most 5 MB")

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # The service, which checks the photo with the other fields, will not run: check it now, so a
            # bad photo is reported together with the other fields' errors (then a 400, not 413/415).
            photo = data.get("photo")
            if photo and "photo" not in exc.detail:
                try:
                    services.campaign_photo_check(photo)
                except DomainError as problem:
                    exc.detail["photo"] = problem.fields.get("photo", [problem.message])
            raise


class CampaignUpdateSerializer(CampaignCreateSerializer):
    """The fields of a draft to change (used partial: those left out stay), with the rules of creating one."""


class MyContributionSerializer(serializers.ModelSerializer):
    payment_id = serializers.UUIDField(read_only=True, allow_null=True)
    refunded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Contribution
        fields = ["id", "amount", "status", "payment_id", "created_at", "credited_at", "refunded_at"]
        read_only_fields = fields


class RefundSummarySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["refunded", "refunding", "nothing_to_refund"],
                                    help_text="refunded: every contribution's refund is settled; refunding: "
                                              "some are still on their way")
    refunded = serializers.IntegerField(help_text="contributions refunded")
    on_the_way = serializers.IntegerField(help_text="contributions being refunded")
    last_refunded_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    statement = serializers.SerializerMethodField()

    def get_statement(self, summary) -> str:
        return notices.refund_statement(summary)


class CampaignDetailSerializer(CampaignSerializer):
    """One campaign, with what its page shows beside: the caller's own contributions, the refunds of an
    expired or cancelled campaign, and links to share it."""

    my_contributions = serializers.SerializerMethodField()
    refunds = serializers.SerializerMethodField()
    share_url = serializers.SerializerMethodField()
    whatsapp_share_url = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "my_contributions", "refunds", "share_url", "whatsapp_share_url"]
        read_only_fields = fields

    @extend_schema_field(MyContributionSerializer(many=True))
    def get_my_contributions(self, campaign) -> list:
        """The signed-in caller's contributions to this campaign, newest first; empty for a visitor."""
        user = getattr(self.context.get("request"), "user", None)
        return MyContributionSerializer(selectors.contributions_to(campaign=campaign, user=user), many=True).data

    @extend_schema_field(RefundSummarySerializer(allow_null=True))
    def get_refunds(self, campaign) -> dict | None:
        """For an expired or cancelled campaign; null otherwise."""
        summary = selectors.campaign_refunds(campaign=campaign)
        return None if summary is None else RefundSummarySerializer(summary).data

    def get_share_url(self, campaign) -> str:
        return notices.share_url(campaign)

    def get_whatsapp_share_url(self, campaign) -> str:
        return notices.whatsapp_share_url(campaign)


class ContributeSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text="paise, at least 1000 (₹10)")


class ContributionStartedSerializer(serializers.Serializer):
    contribution_id = serializers.UUIDField()
    payment_id = serializers.UUIDField()
    order_id = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    key_id = serializers.CharField()
    checkout_url = serializers.CharField(help_text="Web page that takes the payment (simulator or Razorpay Checkout)")


class ContributionSerializer(serializers.ModelSerializer):
    campaign_id = serializers.UUIDField(read_only=True)
    payment_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Contribution
        fields = ["id", "campaign_id", "amount", "status", "payment_id", "created_at", "credited_at"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


def contribution_started(contribution, request) -> dict:
    from django.urls import reverse

    return {"contribution_id": contribution.pk, "payment_id": contribution.payment.pk,
            "order_id": contribution.payment.gateway_order_id, "amount": contribution.amount, "currency": "INR",
            "key_id": settings.RAZORPAY_KEY_ID,
            "checkout_url": request.build_absolute_uri(reverse("payments:checkout", args=[contribution.payment.pk]))}
