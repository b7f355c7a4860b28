"""Bookings in the Django admin. Records are written by bookings.services only: the admin lists them and
acts through those services (each action is audited in the booking's timeline).

Sections: reviews and disputes (the booking's conversation) here; bookings, cancellation records and the
marketplace health dashboard in bookings.admin_bookings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from cleanit.admin_site import ReadOnlyAdmin, apply_each, confirm_with_reason
from cleanit.errors import DomainError
from cleanit.money import format_inr

from . import notices, services
from .models import Dispute, Review
from .services.disputes import refundable

# === Reviews and disputes (the booking's conversation) ================================================


class ReviewHiddenFilter(admin.SimpleListFilter):
    title = "shown"
    parameter_name = "hidden"

    def lookups(self, request, model_admin):
        return [("no", "Shown"), ("yes", "Hidden")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(hidden_at__isnull=True)
        return queryset


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "cleaner", "customer", "rating", "created_at", "shown")
    list_filter = (ReviewHiddenFilter, "rating")
    search_fields = ("booking__service_name", "cleaner__user__name", "customer__email", "comment")
    list_select_related = ("booking", "cleaner__user", "customer")
    readonly_fields = [f.name for f in Review._meta.fields]
    actions = ["hide_reviews", "show_reviews"]

    @admin.display(description="shown", boolean=True)
    def shown(self, obj):
        return obj.hidden_at is None

    @admin.action(description="Hide reviews (asks for a reason; they leave the cleaner's rating)")
    def hide_reviews(self, request, queryset):
        return confirm_with_reason(
            self, request, queryset.select_related("booking", "cleaner"), action="hide_reviews", title="Hide reviews",
            apply=lambda review, reason: services.review_hide(review=review, admin=request.user, reason=reason))

    @admin.action(description="Show hidden reviews again (they count in the rating again)")
    def show_reviews(self, request, queryset):
        apply_each(self, request, queryset.select_related("booking", "cleaner"),
                   apply=lambda review: services.review_unhide(review=review, admin=request.user),
                   done_message="{done} review(s) shown again; the others were not hidden.")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Dispute.Outcome.choices, widget=forms.RadioSelect)
    amount = forms.CharField(label="Refund (₹, partial refund only)", required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 12}))
    note = forms.CharField(label="Note (both parties see it)", max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def amount_paise(self) -> int | None:
        """The rupees typed, in paise (None when left out); an error on the field when not an amount."""
        text = (self.cleaned_data.get("amount") or "").replace(",", "").replace("₹", "").strip()
        if not text:
            return None
        try:
            rupees = Decimal(text)
        except InvalidOperation:
            rupees = None
        if rupees is None or not rupees.is_finite() or rupees != rupees.quantize(Decimal("0.01")):
            self.add_error("amount", "Enter an amount in rupees, for example 250 or 250.50.")
            return None
        return int(rupees * 100)


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "category", "created_at", "answered", "outcome", "decided_by")
    list_filter = ("status", "category", "outcome")
    search_fields = ("booking__service_name", "booking__customer__email", "booking__cleaner__user__name", "text")
    list_select_related = ("booking", "decided_by")
    readonly_fields = ("booking_link", "opened_by", "category", "text", "photo_list", "cleaner_response",
                       "responded_at", "status", "outcome", "refund_in_rupees", "decision_note", "decided_at",
                       "decided_by", "created_at", "decide_link")
    fields = readonly_fields

    # The queue: open ones first ("open" sorts before "resolved"), oldest first.
    ordering = ("status", "created_at")

    @admin.display(description="answered", boolean=True)
    def answered(self, obj):
        return bool(obj.cleaner_response)

    @admin.display(description="booking")
    def booking_link(self, obj):
        booking = obj.booking
        return format_html("{} — customer {}, cleaner {}; paid {}, refundable {}", booking,
                           booking.customer.email, booking.cleaner.user.name, format_inr(booking.total_price),
                           format_inr(refundable(booking)))

    @admin.display(description="photos")
    def photo_list(self, obj):
        if not obj.photos:
            return "—"
        return format_html_join(" ", '<a href="{0}"><img src="{0}" alt="photo {1}" width="160"></a>',
                                ((default_storage.url(name), index) for index, name in enumerate(obj.photos, 1)))

    @admin.display(description="refund")
    def refund_in_rupees(self, obj):
        return format_inr(obj.refund_amount)

    @admin.display(description="decision")
    def decide_link(self, obj):
        if obj.status != Dispute.Status.OPEN or obj.pk is None:
            return "Decided."
        return format_html('<a class="button" href="{}">Decide…</a>',
                           reverse("admin:bookings_dispute_decide", args=[obj.pk]))

    def get_urls(self):
        return [path("<path:object_id>/decide/", self.admin_site.admin_view(self.decide_view),
                     name="bookings_dispute_decide"), *super().get_urls()]

    def decide_view(self, request, object_id):
        """Full refund, partial refund of an amount (rupees), or release to the cleaner, with a note:
        through bookings.services.dispute_decide (audited on the booking's timeline and, for refunds, in
        the payments refund audit)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        dispute = Dispute.objects.select_related("booking__customer", "booking__cleaner__user").filter(
            pk=object_id).first()
        if dispute is None:
            messages.error(request, "Dispute not found.")
            return redirect("admin:bookings_dispute_changelist")
        form = DecisionForm(request.POST or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                amount = form.amount_paise()
                if not form.errors:
                    try:
                        services.dispute_decide(dispute=dispute, admin=request.user,
                                                outcome=form.cleaned_data["outcome"], amount=amount,
                                                note=form.cleaned_data["note"])
                    except DomainError as exc:
                        for field, problems in (exc.fields or {None: [exc.message]}).items():
                            for problem in problems:
                                form.add_error(field if field in form.fields else None, problem)
                    else:
                        messages.success(request, notices.DISPUTE_DECIDED)
                        return redirect("admin:bookings_dispute_change", dispute.pk)
        return render(request, "admin/bookings/dispute_decide.html", {
            **self.admin_site.each_context(request), "title": f"Decide: {dispute}", "dispute": dispute,
            "booking": dispute.booking, "form": form, "opts": self.model._meta,
            "refundable": format_inr(refundable(dispute.booking)),
            "photo_urls": [default_storage.url(name) for name in dispute.photos],
        }, status=status)


# === Bookings, cancellation records, the health dashboard =============================================

from . import admin_bookings  # noqa: E402, F401  (registers them)
