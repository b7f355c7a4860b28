"""Bookings on the API: the booking as each participant may see it (contact details only while it is
confirmed or in progress), and the request bodies."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings import rules
from bookings.models import Booking, Dispute, Party
from bookings.services.timeline import party_of
from marketplace import rules as marketplace_rules

def contact_visible(booking: Booking) -> bool:
    """Phones and the street address pass between the parties only while the booking is on (the model's rule)."""
    return booking.contact_visible


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(required=False, allow_blank=True, help_text="omitted for the cleaner "
                                   "unless the booking is confirmed or in progress")
    city = serializers.CharField(required=False, allow_blank=True)
    state = serializers.CharField(required=False, allow_blank=True)
    pincode = serializers.CharField(required=False, allow_blank=True, help_text="6 digits")


class PersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    phone = serializers.CharField(required=False, help_text="only while the booking is confirmed or in progress")


class AlternativeSerializer(serializers.Serializer):
    cleaner_id = serializers.UUIDField(source="cleaner.pk")
    name = serializers.CharField(source="cleaner.user.name")
    rating_avg = serializers.FloatField(source="cleaner.rating_avg")
    rating_count = serializers.IntegerField(source="cleaner.rating_count")
    distance_km = serializers.FloatField(help_text="from the cleaner who cancelled")
    service_id = serializers.UUIDField(source="service.pk")
    service_name = serializers.CharField(source="service.name")
    price = serializers.IntegerField(source="service.price", help_text="paise")


class BookingSerializer(serializers.ModelSerializer):
    customer_id = serializers.UUIDField(read_only=True)
    cleaner_id = serializers.UUIDField(read_only=True, help_text="the cleaner's profile id (as in /cleaners/{id})")
    service_id = serializers.UUIDField(read_only=True)
    booking_date = serializers.DateField(read_only=True, help_text="YYYY-MM-DD, Asia/Kolkata")
    start_time = serializers.CharField(read_only=True, help_text="HH:MM, Asia/Kolkata")
    end_time = serializers.CharField(read_only=True, help_text="HH:MM, Asia/Kolkata (24:00 at midnight)")
    duration_hours = serializers.SerializerMethodField()
    service_address = serializers.SerializerMethodField()
    customer = serializers.SerializerMethodField()
    cleaner = serializers.SerializerMethodField()
    payment_id = serializers.UUIDField(read_only=True, allow_null=True)
    cancelled_by = serializers.ChoiceField(choices=Party.choices, allow_blank=True, read_only=True,
                                           help_text="who cancelled: customer, cleaner, system (expiry); empty "
                                                     "until cancelled")
    dispute = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = ["id", "customer_id", "cleaner_id", "service_id", "service_name", "service_type", "duration_hours",
                  "booking_date", "start_time", "end_time", "starts_at", "ends_at", "status", "service_price",
                  "platform_fee", "total_price", "payment_status", "payment_id", "service_address",
                  "special_instructions", "refund_amount", "cancelled_by", "cancellation_reason", "customer",
                  "cleaner", "created_at", "confirmed_at", "paid_at", "started_at", "completed_at", "cancelled_at",
                  "dispute"]
        read_only_fields = fields

    def _viewer(self, booking):
        request = self.context.get("request")
        return party_of(booking, getattr(request, "user", None)) if request else None

    def get_duration_hours(self, booking) -> float:
        return marketplace_rules.hours(booking.duration_minutes)

    @extend_schema_field(AddressSerializer)
    def get_service_address(self, booking) -> dict:
        address = {"city": booking.city, "state": booking.state, "pincode": booking.pincode}
        if self._viewer(booking) == "customer" or contact_visible(booking):
            address = {"street": booking.street, **address}
        return address

    @extend_schema_field(PersonSerializer)
    def get_customer(self, booking) -> dict:
        person = {"id": booking.customer_id, "name": booking.customer.get_short_name()}
        viewer = self._viewer(booking)
        if viewer == "customer" or (viewer == "cleaner" and contact_visible(booking)):
            person["phone"] = booking.customer.phone
        return person

    def get_dispute(self, booking) -> dict | None:  # its schema is set below, once DisputeSerializer exists
        return dispute_data(booking)

    @extend_schema_field(PersonSerializer)
    def get_cleaner(self, booking) -> dict:
        user = booking.cleaner.user
        person = {"id": booking.cleaner_id, "name": user.name}
        viewer = self._viewer(booking)
        if viewer == "cleaner" or (viewer == "customer" and contact_visible(booking)):
            person["phone"] = user.phone
        return person


class BookingCreateSerializer(serializers.Serializer):
    cleaner_id = serializers.CharField()
    service_id = serializers.CharField()
    booking_date = serializers.CharField(help_text="YYYY-MM-DD (Asia/Kolkata)")
    start_time = serializers.CharField(help_text="HH:MM on the half hour (Asia/Kolkata), the start of a free slot")
    service_address = AddressSerializer()
    special_instructions = serializers.CharField(required=False, allow_blank=True,
                                                 max_length=rules.SPECIAL_INSTRUCTIONS_MAX)
    latitude = serializers.CharField(required=False, allow_blank=True,
                                     help_text="optional: where the customer is (never shown to the cleaner)")
    longitude = serializers.CharField(required=False, allow_blank=True)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS,
                                              Booking.Status.COMPLETED, Booking.Status.CANCELLED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=rules.CANCELLATION_REASON_MAX,
                                   help_text="required when the cleaner declines or cancels")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=rules.CANCELLATION_REASON_MAX)


class CancellationTermsSerializer(serializers.Serializer):
    refund_amount = serializers.IntegerField(source="refund", help_text="paise back to the customer")
    refund_percent = serializers.IntegerField()
    kept_amount = serializers.IntegerField(source="kept", help_text="paise kept (the cleaner's share and the fee)")
    penalty = serializers.BooleanField(help_text="a cleaner's cancellation counted on their record")


class CancelledBookingSerializer(BookingSerializer):
    alternatives = serializers.SerializerMethodField()

    class Meta(BookingSerializer.Meta):
        fields = [*BookingSerializer.Meta.fields, "alternatives"]
        read_only_fields = fields

    @extend_schema_field(AlternativeSerializer(many=True))
    def get_alternatives(self, booking) -> list:
        return AlternativeSerializer(self.context.get("alternatives", []), many=True).data


class CreateIntentSerializer(serializers.Serializer):
    booking_id = serializers.CharField()


class PaymentStartedSerializer(serializers.Serializer):
    payment_id = serializers.UUIDField()
    order_id = serializers.CharField()
    amount = serializers.IntegerField(help_text="paise: the booking's total_price")
    currency = serializers.CharField()
    key_id = serializers.CharField()
    checkout_url = serializers.CharField(help_text="Web page that takes the payment (simulator or Razorpay Checkout)")


def payment_started(payment, request) -> dict:
    return {"payment_id": payment.pk, "order_id": payment.gateway_order_id, "amount": payment.amount,
            "currency": "INR", "key_id": settings.RAZORPAY_KEY_ID,
            "checkout_url": request.build_absolute_uri(reverse("payments:checkout", args=[payment.pk]))}


# --- the booking's conversation: reviews, messages, disputes ------------------------------------------

class ReviewSerializer(serializers.Serializer):
    """A review as anyone may see it: the customer's first name, the service and the booking's date."""

    id = serializers.UUIDField()
    booking_id = serializers.UUIDField()
    cleaner_id = serializers.UUIDField(help_text="the cleaner's profile id")
    customer_name = serializers.CharField(help_text="the customer's first name")
    rating = serializers.IntegerField(help_text="{} to {}".format(*rules.REVIEW_RATING_RANGE))
    comment = serializers.CharField(help_text="plain text; may be empty")
    service_name = serializers.CharField()
    service_date = serializers.DateField(help_text="the booking's date, YYYY-MM-DD (Asia/Kolkata)")
    created_at = serializers.DateTimeField()


def review_data(review) -> dict:
    booking = review.booking
    return ReviewSerializer({
        "id": review.pk, "booking_id": review.booking_id, "cleaner_id": review.cleaner_id,
        "customer_name": review.customer.get_short_name(), "rating": review.rating, "comment": review.comment,
        "service_name": booking.service_name, "service_date": booking.booking_date,
        "created_at": review.created_at}).data


class ReviewCreateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="{} to {} stars".format(*rules.REVIEW_RATING_RANGE))
    comment = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True,
                                    help_text=f"up to {rules.REVIEW_COMMENT_MAX} characters")


class BookingMessageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    sender_id = serializers.UUIDField(help_text="the user who wrote it")
    sender_party = serializers.ChoiceField(choices=["customer", "cleaner"])
    sender_name = serializers.CharField(help_text="first name of the customer; the cleaner's name")
    mine = serializers.BooleanField(help_text="written by the caller")
    body = serializers.CharField(help_text="plain text as written: escape it when you show it")
    created_at = serializers.DateTimeField()


def message_data(message, *, booking, viewer) -> dict:
    from_customer = message.sender_id == booking.customer_id
    return BookingMessageSerializer({
        "id": message.pk, "sender_id": message.sender_id, "sender_party": "customer" if from_customer else "cleaner",
        "sender_name": message.sender.get_short_name() if from_customer else message.sender.name,
        "mine": message.sender_id == getattr(viewer, "pk", None), "body": message.body,
        "created_at": message.created_at}).data


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(help_text=f"1 to {rules.MESSAGE_MAX} characters of plain text",
                                 trim_whitespace=False)


CATEGORY_HELP = "one of: " + ", ".join(f"{value} ({label})" for value, label in Dispute.Category.choices)


class DisputeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField(help_text=f"{' or '.join(Dispute.Status.values)}: decided once by Cleanit")
    category = serializers.CharField(help_text=CATEGORY_HELP)
    text = serializers.CharField()
    photos = serializers.ListField(child=serializers.CharField(), help_text="addresses of the photos")
    cleaner_response = serializers.CharField(help_text="empty until the cleaner answers")
    responded_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.ChoiceField(choices=[("", "not decided"), *Dispute.Outcome.choices])
    refund_amount = serializers.IntegerField(help_text="paise refunded by the decision")
    decision_note = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


def dispute_data(booking) -> dict | None:
    from django.core.files.storage import default_storage

    if booking.completed_at is None:  # a problem is reported only after completion: none to look for
        return None
    try:  # free when the queryset select_related("dispute"); one query otherwise
        dispute = booking.dispute
    except Dispute.DoesNotExist:
        return None
    return DisputeSerializer({
        "id": dispute.pk, "status": dispute.status, "category": dispute.category, "text": dispute.text,
        "photos": [default_storage.url(name) for name in dispute.photos],
        "cleaner_response": dispute.cleaner_response, "responded_at": dispute.responded_at,
        "outcome": dispute.outcome, "refund_amount": dispute.refund_amount, "decision_note": dispute.decision_note,
        "decided_at": dispute.decided_at, "created_at": dispute.created_at}).data


class DisputeCreateSerializer(serializers.Serializer):
    category = serializers.CharField(help_text=CATEGORY_HELP)
    text = serializers.CharField(help_text=f"what went wrong, up to {rules.DISPUTE_TEXT_MAX} characters")


class DisputeUploadSerializer(DisputeCreateSerializer):
    """The multipart form of a report (the schema's view of it: the view reads the files itself)."""

    photos = serializers.ListField(child=serializers.FileField(), required=False,
                                   help_text=f"up to {rules.DISPUTE_PHOTOS_MAX} JPG or PNG photos (3 MB each)")


class DisputeResponseSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=f"the cleaner's answer, up to {rules.DISPUTE_TEXT_MAX} characters")


# The booking's ``dispute`` field: the reported problem, null when there is none.
extend_schema_field(DisputeSerializer(allow_null=True))(BookingSerializer.get_dispute)
