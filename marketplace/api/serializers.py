from rest_framework import serializers

from marketplace.models import User
from notifications.catalogue import OPTIONAL_CATEGORIES


class UserSerializer(serializers.ModelSerializer):
    email_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "phone", "email_verified", "date_joined"]
        read_only_fields = fields


class RegisteredUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "role"]
        read_only_fields = fields


class PublicUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name", "role", "date_joined"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    phone = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=16, help_text="`customer` or `cleaner`.")
    accept_terms = serializers.BooleanField()


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LoginResponseSerializer(TokenPairSerializer):
    user = UserSerializer()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class EmailSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)


class TokenPasswordSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=256)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=256)


class ProfileUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    phone = serializers.CharField(max_length=20, required=False)


class DeleteAccountSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False,
                                     help_text="Your current password, to confirm.")


class ChangePasswordSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class NotificationPreferencesSerializer(serializers.Serializer):
    bookings = serializers.BooleanField(required=False)
    campaigns = serializers.BooleanField(required=False)
    jobs = serializers.BooleanField(required=False)
    payments = serializers.BooleanField(required=False)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(OPTIONAL_CATEGORIES) if isinstance(self.initial_data, dict) else set()
        if unknown:
            raise serializers.ValidationError({name: ["Unknown notification category."] for name in sorted(unknown)})
        return attrs


class MessageSerializer(serializers.Serializer):
    detail = serializers.CharField()


class KYCSubmitSerializer(serializers.Serializer):
    id_type = serializers.ChoiceField(choices=["aadhaar", "pan"])
    id_number = serializers.CharField(max_length=20)
    account_holder_name = serializers.CharField(max_length=120)
    bank_account_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    bank_ifsc = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    upi_id = serializers.CharField(max_length=320, required=False, allow_blank=True, default="",
                                   help_text="instead of a bank account")


class KYCSerializer(serializers.Serializer):
    """Masked everywhere: the plain numbers never leave the server."""

    id = serializers.CharField(read_only=True)
    user_id = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    id_type = serializers.CharField(read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    account_holder_name = serializers.CharField(read_only=True)
    payout_method = serializers.CharField(read_only=True)
    bank_account_number = serializers.CharField(source="bank_account_masked", read_only=True)
    bank_ifsc = serializers.CharField(read_only=True)
    upi_id = serializers.CharField(source="upi_id_masked", read_only=True)
    rejection_reason = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True)


class KYCReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["verify", "reject"])
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class PayoutSerializer(serializers.Serializer):
    id = serializers.CharField(read_only=True)
    receipt_number = serializers.CharField(read_only=True)
    job_id = serializers.SerializerMethodField()
    booking_id = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True)
    amount = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    paid_at = serializers.DateTimeField(read_only=True, allow_null=True)
    utr = serializers.CharField(read_only=True)

    def get_job_id(self, payout) -> str | None:
        return payout.source_id if payout.source_kind == "job" else None

    def get_booking_id(self, payout) -> str | None:
        return payout.source_id if payout.source_kind == "booking" else None


class MonthlyEarningSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM (IST)")
    amount = serializers.IntegerField(help_text="paise paid out that month")


class EarningsSerializer(serializers.Serializer):
    total_paid = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="scheduled or being paid")
    failed = serializers.IntegerField()
    monthly = MonthlyEarningSerializer(many=True)
    payouts = PayoutSerializer(many=True)
