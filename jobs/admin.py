from django import forms
from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from cleanit.admin_site import ReadOnlyAdmin, ReadOnlyInline, apply_each, confirm_with_reason
from cleanit.errors import DomainError

from . import notices, selectors, services
from .models import CleanerJobStats, Job, JobReview, RejectionReason

QUEUE_PAGE_SIZE = 10


class JobReviewInline(ReadOnlyInline):
    model = JobReview
    fields = ("created_at", "admin", "action", "reason", "notes", "allow_retry", "flags")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "amount", "claimed_by", "completion_deadline", "claim_count",
                    "release_count", "needs_review", "flag_list")
    list_filter = ("status", "needs_review", "first_time_cleaner")
    search_fields = ("campaign__title", "claimed_by__email", "campaign__address")
    list_select_related = ("campaign", "claimed_by")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Job._meta.fields]
    rupee_fields = ("amount", "platform_fee")
    inlines = [JobReviewInline]
    actions = ["reoffer", "cancel_jobs"]

    @admin.display(description="flags")
    def flag_list(self, obj):
        return ", ".join(obj.flags) or "—"

    @admin.action(description="Put held-back jobs back on the board")
    def reoffer(self, request, queryset):
        apply_each(self, request, queryset, apply=lambda job: services.job_reoffer(job=job, admin=request.user),
                   done_message="{done} job(s) back on the board; others were not held for review.")

    @admin.action(description="Cancel unclaimed jobs and refund their contributors (asks for a reason)")
    def cancel_jobs(self, request, queryset):
        return confirm_with_reason(
            self, request, queryset.select_related("campaign"), action="cancel_jobs", title="Cancel jobs",
            apply=lambda job, reason: services.job_cancel(job=job, admin=request.user, reason=reason))


@admin.register(CleanerJobStats)
class CleanerJobStatsAdmin(ReadOnlyAdmin):
    list_display = ("user", "active_claims", "claims", "completions", "verified", "rejections", "penalties",
                    "completion_rate_percent", "flagged")
    list_filter = ("flagged",)
    search_fields = ("user__email", "user__name")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in CleanerJobStats._meta.fields]

    @admin.display(description="completion rate")
    def completion_rate_percent(self, obj):
        rate = obj.completion_rate
        return "—" if rate is None else f"{rate:.0%}"


class DecisionForm(forms.Form):
    job_id = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=JobReview.Action.choices)
    reason = forms.ChoiceField(choices=[("", "—"), *RejectionReason.choices], required=False)
    notes = forms.CharField(max_length=500, required=False)
    allow_retry = forms.BooleanField(required=False)


def _decide(request, data) -> str | None:
    """One approve/reject from the queue, through the service the API calls. Returns the error, if any."""
    job = None
    try:
        job = selectors.job_get(job_id=data["job_id"])
        services.job_verify(job=job, admin=request.user, action=data["action"], reason=data["reason"],
                            notes=data["notes"], allow_retry=data["allow_retry"])
    except DomainError as exc:
        detail = "; ".join(m for ms in exc.fields.values() for m in ms) if exc.fields else exc.message
        messages.error(request, f"{job.campaign.title}: {detail}" if job else detail)
        return detail
    messages.success(request, notices.decided(job.campaign.title, data["action"]))
    return None


def verification_queue_view(request):
    """Completed jobs, most pressing first, with both photos, evidence and the cleaner's record;
    approve or reject each one in place (the same service as the API)."""
    errors_for: dict[str, str] = {}
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, notices.CHOOSE_ACTION)
        else:
            error = _decide(request, form.cleaned_data)
            if error is None:
                return redirect(request.get_full_path())
            errors_for[str(form.cleaned_data["job_id"])] = error
    page = Paginator(selectors.verification_queue(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "admin/jobs/verification_queue.html", {
        **admin.site.each_context(request), "title": "Verification queue", "page": page,
        "sla": selectors.verification_sla(), "reasons": RejectionReason.choices, "errors_for": errors_for,
        "priority_labels": selectors.PRIORITY_LABELS, "priority_display": notices.priority_display(), "sla_texts": notices.sla_texts(),
    }, status=400 if errors_for else 200)


def _glance():
    sla = selectors.verification_sla()
    queue = reverse("admin:dashboard_verification_queue")
    average = "—" if sla.average_verify_hours is None else f"{sla.average_verify_hours} h"
    texts = notices.sla_texts()
    return [("Jobs waiting for verification", sla.queue_length, queue, sla.alert),
            (texts["waiting_both"], f"{sla.waiting_over_24h} / {sla.waiting_over_48h}", queue,
             sla.waiting_over_48h > 0),
            (texts["average"], average, "", False),
            ("Jobs held back for review", Job.objects.filter(needs_review=True, status=Job.Status.AVAILABLE).count(),
             reverse("admin:jobs_job_changelist") + "?needs_review__exact=1", False)]


admin.site.register_dashboard("verification-queue", "Verification queue (jobs)", verification_queue_view)
admin.site.register_glance(_glance)
