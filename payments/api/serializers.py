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
        fields = ["id", "amount", "currency", "status", "description", "order_id", "payable", "captured_at",
                  "failure_reason", "created_at", "refunds"]
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
