from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace import rules
from marketplace.models import CleanerProfile, ServicePackage, User
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


# --- cleaner profiles, service packages, schedules, free slots ---------------------------------------

class ServiceSerializer(serializers.ModelSerializer):
    cleaner_id = serializers.UUIDField(read_only=True)
    duration_hours = serializers.FloatField(read_only=True, help_text="0.5 to 12, in steps of 0.5")

    class Meta:
        model = ServicePackage
        fields = ["id", "cleaner_id", "name", "description", "price", "duration_hours", "duration_minutes",
                  "service_type", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class ServiceWriteSerializer(serializers.Serializer):
    """Types only: the rules (lengths, ranges, half-hour steps) are the service's, quoted in help texts."""

    name = serializers.CharField(help_text="{} to {} characters".format(*rules.PACKAGE_NAME_LENGTH))
    description = serializers.CharField(required=False, allow_blank=True,
                                        help_text=f"at most {rules.PACKAGE_DESCRIPTION_MAX} characters")
    price = serializers.IntegerField(help_text="paise, {} to {} ({})".format(
        *rules.PACKAGE_PRICE_RANGE, rules.inr_range(rules.PACKAGE_PRICE_RANGE)))
    duration_hours = serializers.FloatField(help_text="{:g} to {:g}, in steps of {:g}".format(
        rules.hours(rules.DURATION_RANGE_MINUTES[0]), rules.hours(rules.DURATION_RANGE_MINUTES[1]),
        rules.hours(rules.DURATION_STEP_MINUTES)))
    service_type = serializers.CharField(help_text=" | ".join(ServicePackage.ServiceType.values))
    is_active = serializers.BooleanField(required=False, help_text="offered (default true)")


class ScheduleRangeSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday")
    start = serializers.CharField(help_text=f"HH:MM, IST, on the {rules.SCHEDULE_STEP_MINUTES}-minute grid")
    end = serializers.CharField(help_text="HH:MM, after start, 24:00 at the latest")


class ScheduleRangeOutSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 = Monday ... 6 = Sunday")
    weekday_name = serializers.SerializerMethodField()
    start = serializers.SerializerMethodField(help_text="HH:MM, IST")
    end = serializers.SerializerMethodField(help_text="HH:MM, IST (24:00 = midnight at the end of the day)")

    def get_weekday_name(self, schedule_range) -> str:
        return rules.WEEKDAYS[schedule_range.weekday]

    def get_start(self, schedule_range) -> str:
        return rules.clock(schedule_range.start_minute)

    def get_end(self, schedule_range) -> str:
        return rules.clock(schedule_range.end_minute)


class ScheduleSerializer(serializers.Serializer):
    ranges = ScheduleRangeSerializer(many=True, allow_empty=True,
                                     help_text="the whole week; ranges of a day may not overlap")


class ScheduleOutSerializer(serializers.Serializer):
    ranges = ScheduleRangeOutSerializer(many=True)


class CleanerSerializer(serializers.ModelSerializer):
    """A cleaner as searches and profiles show them. Street and PIN code stay private (own profile only)."""

    user_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    distance_km = serializers.FloatField(read_only=True, allow_null=True,
                                         help_text="from the point searched around (lat, lng); null without one")
    verified = serializers.BooleanField(read_only=True, help_text="KYC verified")
    rating_avg = serializers.SerializerMethodField()
    total_bookings = serializers.IntegerField(source="completed_bookings", read_only=True,
                                              help_text="completed bookings")
    from_price = serializers.IntegerField(source="min_active_price", read_only=True, allow_null=True,
                                          help_text="paise: the cheapest active service")
    average_response_minutes = serializers.SerializerMethodField()
    cancellation_rate = serializers.FloatField(read_only=True, allow_null=True,
                                               help_text="share of accepted bookings the cleaner cancelled, 0-1; "
                                                         "null (new) before the first")
    # A nested field, not a method making a serializer per cleaner: DRF builds its fields once per list
    # (a search of 20 spent a third of its time building the same ServiceSerializer fields 20 times).
    services = ServiceSerializer(source="active_services", many=True, read_only=True,
                                 help_text="Active services, cheapest first.")

    class Meta:
        model = CleanerProfile
        fields = ["id", "user_id", "name", "bio", "experience_years", "hourly_rate", "is_available", "city", "state",
                  "latitude", "longitude", "distance_km", "verified", "rating_avg", "rating_count", "total_bookings",
                  "completed_bookings", "from_price", "average_response_minutes", "cancellation_rate", "services"]
        read_only_fields = fields

    def get_rating_avg(self, profile) -> float:
        return round(profile.rating_avg, 2)

    def get_average_response_minutes(self, profile) -> int | None:
        """Average time to answer a booking request; null (new) before the first."""
        seconds = profile.average_response_seconds
        return None if seconds is None else round(seconds / 60)


class CleanerDetailSerializer(CleanerSerializer):
    member_since = serializers.DateTimeField(source="user.date_joined", read_only=True)
    schedule = ScheduleRangeOutSerializer(many=True, read_only=True, help_text="weekly, IST")

    class Meta(CleanerSerializer.Meta):
        fields = [*CleanerSerializer.Meta.fields, "member_since", "schedule"]
        read_only_fields = fields


class OwnCleanerSerializer(CleanerDetailSerializer):
    listed = serializers.SerializerMethodField()

    class Meta(CleanerDetailSerializer.Meta):
        fields = [*CleanerDetailSerializer.Meta.fields, "street", "pincode", "listed", "created_at", "updated_at"]
        read_only_fields = fields

    def get_listed(self, profile) -> bool:
        """Appears in searches: needs at least one active service."""
        return profile.min_active_price is not None


class ProfileWriteSerializer(serializers.Serializer):
    """Creating needs every field but the bio; updating, only those to change. Types only here: the rules
    are the service's."""

    bio = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                help_text=f"at most {rules.BIO_MAX} characters")
    experience_years = serializers.IntegerField(required=False,
                                                help_text=f"0 to {rules.EXPERIENCE_MAX_YEARS}")
    hourly_rate = serializers.IntegerField(required=False, help_text="paise, {} to {} ({})".format(
        *rules.HOURLY_RATE_RANGE, rules.inr_range(rules.HOURLY_RATE_RANGE)))
    street = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    state = serializers.CharField(required=False, allow_blank=True)
    pincode = serializers.CharField(required=False, allow_blank=True, help_text="6 digits, not starting with 0")
    latitude = serializers.FloatField(required=False, help_text="in India")
    longitude = serializers.FloatField(required=False, help_text="in India")


class AvailabilitySerializer(serializers.Serializer):
    is_available = serializers.BooleanField()


class SlotSerializer(serializers.Serializer):
    start = serializers.CharField(source="start_label", help_text="HH:MM, IST")
    end = serializers.CharField(source="end_label", help_text="HH:MM, IST: start + the service's duration")


class DaySlotsSerializer(serializers.Serializer):
    date = serializers.DateField()
    service_id = serializers.UUIDField(source="service.id")
    duration_hours = serializers.FloatField(source="service.duration_hours")
    slots = SlotSerializer(many=True)


class ReviewSerializer(serializers.Serializer):
    """A customer's review of a completed booking (reviews arrive with bookings)."""

    id = serializers.UUIDField()
    booking_id = serializers.UUIDField()
    customer_name = serializers.CharField()
    rating = serializers.IntegerField(help_text="1-5")
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
