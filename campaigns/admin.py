from datetime import timedelta

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from cleanit.admin_site import ReadOnlyAdmin, ReadOnlyInline, RupeeFieldsMixin, apply_each, confirm_with_reason

from . import services
from .models import Campaign, Contribution


class ContributionInline(ReadOnlyInline):
    model = Contribution
    fields = ("contributor", "amount", "status", "created_at", "credited_at")
    rupee_fields = ("amount",)


@admin.register(Campaign)
class CampaignAdmin(RupeeFieldsMixin, admin.ModelAdmin):
    list_display = ("title", "creator", "status", "amount_raised", "target_amount", "flagged_spam", "expires_at",
                    "created_at")
    rupee_fields = ("amount_raised", "target_amount")  # read-only, like the status: both change through services
    list_filter = ("status", "flagged_spam")
    search_fields = ("title", "address", "creator__email")
    list_select_related = ("creator",)
    date_hierarchy = "created_at"
    readonly_fields = ("photo_preview", "creator", "status", "amount_raised", "contributor_count", "expires_at",
                       "approved_at", "approved_by", "funded_at", "ended_at", "cancel_reason", "cancelled_by",
                       "spam_note", "created_at")
    fields = ("photo_preview", "title", "description", "address", "city", "latitude", "longitude", "target_amount",
              "creator", "status", "amount_raised", "contributor_count", "expires_at", "approved_at", "approved_by",
              "funded_at", "ended_at", "cancel_reason", "cancelled_by", "flagged_spam", "spam_note", "created_at")
    inlines = [ContributionInline]
    actions = ["approve", "cancel_with_reason"]

    def has_add_permission(self, request):
        return False  # campaigns are started by people, with a photo, through the site or the API

    @admin.display(description="before photo")
    def photo_preview(self, obj):
        return format_html('<img src="{}" alt="" style="max-width: 420px; max-height: 300px">', obj.photo.url) \
            if obj.photo else "-"

    @admin.action(description="Approve the selected draft campaigns")
    def approve(self, request, queryset):
        apply_each(self, request, queryset, done_message="Approved {done} campaign(s).",
                   apply=lambda campaign: services.campaign_approve(campaign=campaign, admin=request.user))

    @admin.action(description="Cancel the selected campaigns and refund their contributors (asks for a reason)")
    def cancel_with_reason(self, request, queryset):
        return confirm_with_reason(
            self, request, queryset, action="cancel_with_reason", title="Cancel campaigns",
            apply=lambda campaign, reason: services.campaign_cancel_by_admin(campaign=campaign, admin=request.user,
                                                                             reason=reason))


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    """Contributions are money records: only the services write them (never added, changed or deleted here)."""

    list_display = ("campaign", "contributor", "amount", "status", "created_at")
    rupee_fields = ("amount",)
    list_filter = ("status",)
    search_fields = ("campaign__title", "contributor__email")
    list_select_related = ("campaign", "contributor")
    readonly_fields = ("campaign", "contributor", "amount", "status", "payment", "credited_at", "counts_backer",
                       "refund_reason", "created_at")


def _glance():
    drafts = Campaign.objects.filter(status=Campaign.Status.DRAFT).count()
    week = get_user_model().objects.filter(date_joined__gte=timezone.now() - timedelta(days=7)).count()
    return [("Active campaigns", Campaign.objects.filter(status=Campaign.Status.ACTIVE).count(),
             reverse("admin:campaigns_campaign_changelist") + "?status__exact=active", False),
            ("Campaigns waiting for approval", drafts,
             reverse("admin:campaigns_campaign_changelist") + "?status__exact=draft", drafts > 0),
            ("Sign-ups in the last 7 days", week, reverse("admin:marketplace_user_changelist"), False)]


admin.site.register_glance(_glance)
