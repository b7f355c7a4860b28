import uuid

from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import reverse

from cleanit.admin_site import ReadOnlyAdmin, ReadOnlyInline, confirm_with_reason
from cleanit.money import format_inr

from . import selectors, services
from .models import (LedgerEntry, PayeeAccount, Payment, Payout, PayoutAuditEntry, ReconciliationMismatch,
                     ReconciliationRun, Refund, RefundAuditEntry, WebhookEvent)


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ("amount", "status", "reason", "attempts", "flagged", "created_at")
    rupee_fields = ("amount",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "description", "payer", "amount", "status", "payable_kind", "created_at")
    list_filter = ("status", "payable_kind")
    search_fields = ("receipt_number", "payer__email", "gateway_order_id", "gateway_payment_id", "description")
    readonly_fields = ("receipt_number", "created_at")
    rupee_fields = ("amount",)
    list_select_related = ("payer",)
    date_hierarchy = "created_at"
    inlines = [RefundInline]
    actions = ["refund_remaining"]

    @admin.action(description="Refund what is left of the selected payments (asks for a reason)")
    def refund_remaining(self, request, queryset):
        def refund(payment, reason):
            return services.refund_request(payment=payment, amount=None, reason=reason,
                                           refund_key=f"admin:{payment.pk}:{uuid.uuid4()}", requested_by=request.user)

        return confirm_with_reason(self, request, queryset, action="refund_remaining", title="Refund payments",
                                   apply=refund)


class RefundAuditInline(ReadOnlyInline):
    model = RefundAuditEntry
    fields = ("created_at", "actor", "action", "note")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("payment", "amount", "status", "flagged", "attempts", "last_error", "created_at")
    list_filter = ("status", "flagged")
    search_fields = ("payment__receipt_number", "payment__payer__email", "gateway_refund_id", "reason")
    rupee_fields = ("amount",)
    list_select_related = ("payment",)
    inlines = [RefundAuditInline]
    actions = ["retry_refunds"]

    @admin.action(description="Retry the selected failed refunds")
    def retry_refunds(self, request, queryset):
        done = sum(services.refund_retry(refund=refund, actor=request.user, note="retried from the admin")
                   for refund in queryset)
        self.message_user(request, f"{done} refund(s) queued again; others were not in a failed state.",
                          messages.SUCCESS if done else messages.WARNING)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "escrow_key", "kind", "amount", "entry_key")
    list_filter = ("kind",)
    search_fields = ("escrow_key", "entry_key")
    rupee_fields = ("amount",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event_type", "event_id", "processed_at", "outcome", "attempts")
    list_filter = ("event_type", ("processed_at", admin.EmptyFieldListFilter))
    search_fields = ("event_id",)


class PayoutAuditInline(ReadOnlyInline):
    model = PayoutAuditEntry
    fields = ("created_at", "actor", "action", "note")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("receipt_number", "description", "payee", "amount", "status", "flagged", "attempts", "due_at",
                    "paid_at", "last_error")
    list_filter = ("status", "flagged", "source_kind", ("reversed_at", admin.EmptyFieldListFilter))
    search_fields = ("receipt_number", "payee__email", "gateway_payout_id", "utr", "description", "source_id")
    readonly_fields = ("receipt_number", "created_at")
    rupee_fields = ("amount",)
    list_select_related = ("payee",)
    date_hierarchy = "created_at"
    inlines = [PayoutAuditInline]
    actions = ["retry_payouts"]

    @admin.action(description="Send the selected failed payouts again (asks for a reason)")
    def retry_payouts(self, request, queryset):
        return confirm_with_reason(
            self, request, queryset, action="retry_payouts", title="Send payouts again",
            apply=lambda payout, reason: services.payout_retry(payout=payout, actor=request.user, note=reason))


@admin.register(PayeeAccount)
class PayeeAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "destination", "mode", "is_active", "fund_account_id", "updated_at")
    list_filter = ("mode", "is_active")
    search_fields = ("user__email", "fund_account_id", "contact_id")
    list_select_related = ("user",)


class ReconciliationMismatchInline(ReadOnlyInline):
    model = ReconciliationMismatch
    fields = ("kind", "object_id", "gateway_id", "ours", "theirs", "detail")


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "finished_at", "checked", "mismatch_count", "errors")
    inlines = [ReconciliationMismatchInline]


@admin.register(ReconciliationMismatch)
class ReconciliationMismatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "object_id", "gateway_id", "ours", "theirs", "detail")
    list_filter = ("kind", "run")
    search_fields = ("object_id", "gateway_id")


def financial_overview_view(request):
    overview = selectors.financial_overview()
    chart = {"labels": [row["label"] for row in overview["monthly"]],
             "held": [row["held"] / 100 for row in overview["monthly"]],
             "released": [row["released"] / 100 for row in overview["monthly"]]}
    return render(request, "admin/payments/financial_overview.html", {
        **admin.site.each_context(request), "title": "Financial overview", "overview": overview, "chart": chart,
    })


def _glance():
    overview = selectors.financial_overview()
    payouts = overview["pending_payouts"]
    return [("Escrow balance", format_inr(overview["escrow_balance"]), reverse("admin:dashboard_financial_overview"),
             False),
            ("Payouts pending", f"{payouts['count']} ({format_inr(payouts['amount'])})",
             reverse("admin:payments_payout_changelist") + "?status__exact=pending", False),
            ("Payouts and refunds flagged", overview["flagged_payouts"] + overview["flagged_refunds"],
             reverse("admin:payments_payout_changelist") + "?flagged__exact=1",
             bool(overview["flagged_payouts"] + overview["flagged_refunds"]))]


admin.site.register_dashboard("financial-overview", "Financial overview", financial_overview_view)
admin.site.register_glance(_glance)
