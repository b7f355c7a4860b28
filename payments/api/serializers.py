from rest_framework import serializers

from payments.models import Payment, Refund


class RefundSerializer(serializers.ModelSerializer):
    payment_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Refund
        fields = ["id", "amount", "status", "payment_id", "reason", "created_at", "refunded_at"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    order_id = serializers.CharField(source="gateway_order_id", read_only=True)
    refunds = RefundSerializer(many=True, read_only=True)
    payable = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "receipt_number", "amount", "currency", "status", "description", "order_id", "payable",
                  "captured_at", "failure_reason", "created_at", "refunds"]
        read_only_fields = fields

    def get_payable(self, payment) -> dict:
        return {"kind": payment.payable_kind, "id": payment.payable_id}


class VerifySerializer(serializers.Serializer):
    razorpay_order_id = serializers.CharField(max_length=64)
    razorpay_payment_id = serializers.CharField(max_length=64)
    razorpay_signature = serializers.CharField(max_length=128)


class WebhookAckSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["processed", "ignored", "duplicate"])


class AdminRefundSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, required=False, help_text="paise; omit for all that is left")
    reason = serializers.CharField(max_length=255)


class TransactionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["payment", "refund", "payout"])
    id = serializers.CharField()
    amount = serializers.IntegerField()
    status = serializers.CharField()
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    payment_id = serializers.CharField()
    receipt_number = serializers.CharField(help_text="as printed on the receipt (a refund's is its payment's)")
    receipt_url = serializers.SerializerMethodField()

    def get_receipt_url(self, item) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        url = reverse("payments:payout_receipt", args=[item.id]) if item.kind == "payout" \
            else reverse("payments:receipt", args=[item.payment_id])
        return request.build_absolute_uri(url) if request else url


class TotalsSerializer(serializers.Serializer):
    paid = serializers.IntegerField()
    refunded = serializers.IntegerField()
    net = serializers.IntegerField()
    payouts_received = serializers.IntegerField()


class TransactionsSerializer(serializers.Serializer):
    totals = TotalsSerializer()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = TransactionSerializer(many=True)


class MonthOfMoneySerializer(serializers.Serializer):
    month = serializers.CharField(help_text="e.g. Nov 2026 (IST), as before; `period` is the same month as YYYY-MM")
    period = serializers.CharField(help_text="YYYY-MM (IST)")
    label = serializers.CharField(help_text="e.g. Nov 2026")
    held = serializers.IntegerField(help_text="paise taken in payments")
    refunded = serializers.IntegerField()
    paid_out = serializers.IntegerField(help_text="payouts the bank kept; a reversed one counts in none")
    fees = serializers.IntegerField()
    fee = serializers.IntegerField(help_text="the same as fees, under its earlier name")
    released = serializers.IntegerField(help_text="refunded + paid_out + fees")


class FinancialOverviewSerializer(serializers.Serializer):
    raised = serializers.IntegerField(help_text="the sum of monthly held")
    refunded = serializers.IntegerField()
    paid_out = serializers.IntegerField()
    fees = serializers.IntegerField()
    released = serializers.IntegerField()
    escrow_balance = serializers.IntegerField(help_text="raised - released")
    pending_refunds = serializers.DictField()
    flagged_refunds = serializers.IntegerField()
    pending_payouts = serializers.DictField()
    flagged_payouts = serializers.IntegerField()
    payments_captured = serializers.IntegerField()
    monthly = MonthOfMoneySerializer(many=True, help_text="every month from the first movement to this one")
