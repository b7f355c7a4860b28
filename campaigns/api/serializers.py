from django.conf import settings
from rest_framework import serializers

from campaigns.models import Campaign, Contribution


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

    class Meta:
        model = Campaign
        fields = ["id", "creator_id", "title", "description", "target_amount", "amount_raised", "contributor_count",
                  "status", "latitude", "longitude", "address", "photo_url", "after_photo_url", "expires_at",
                  "created_at", "days_left", "progress_percent", "funded_at"]
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
    photo = serializers.FileField(help_text="JPG or PNG, at most 5 MB")


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
