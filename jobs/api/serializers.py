from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from jobs.models import Job, JobReview, RejectionReason
from jobs.selectors import PRIORITY_LABELS


def _absolute(request, field) -> str | None:
    if not field:
        return None
    return request.build_absolute_uri(field.url) if request is not None else field.url


class JobSerializer(serializers.ModelSerializer):
    campaign_id = serializers.UUIDField(read_only=True)
    title = serializers.CharField(source="campaign.title", read_only=True)
    latitude = serializers.FloatField(source="campaign.latitude", read_only=True)
    longitude = serializers.FloatField(source="campaign.longitude", read_only=True)
    address = serializers.CharField(source="campaign.address", read_only=True)
    claimed_by = serializers.UUIDField(source="claimed_by_id", read_only=True, allow_null=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    # "" until a first rejection: documented as such (clients have always received "", never null).
    last_rejection_reason = serializers.ChoiceField(choices=RejectionReason.choices, allow_blank=True, read_only=True)
    before_photo_url = serializers.SerializerMethodField()
    after_photo_url = serializers.SerializerMethodField()
    distance_km = serializers.FloatField(read_only=True, allow_null=True,
                                         help_text="from the point searched around (lat, lng) to the place; "
                                                   "null without one")

    class Meta:
        model = Job
        fields = ["id", "campaign_id", "title", "status", "amount", "platform_fee", "latitude", "longitude", "address",
                  "claimed_by", "claimed_at", "completion_deadline", "claim_count", "flags", "before_photo_url",
                  "after_photo_url", "expires_at", "completed_at", "distance_m", "rejection_count",
                  "last_rejection_reason", "last_rejection_notes", "created_at", "distance_km"]
        read_only_fields = fields

    def get_before_photo_url(self, job) -> str | None:
        return _absolute(self.context.get("request"), job.campaign.photo)

    def get_after_photo_url(self, job) -> str | None:
        return _absolute(self.context.get("request"), job.after_photo)


class UnclaimSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CompleteSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPG, PNG or WEBP, at most 10 MB, straight from the camera (GPS and time)")


class CleanerHistorySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="user.id")
    name = serializers.CharField(source="user.name")
    claims = serializers.IntegerField()
    completions = serializers.IntegerField()
    verified = serializers.IntegerField()
    rejections = serializers.IntegerField()
    penalties = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    flagged = serializers.BooleanField()


class QueueItemSerializer(JobSerializer):
    priority = serializers.SerializerMethodField()
    first_time_cleaner = serializers.BooleanField(read_only=True)
    photo_taken_at = serializers.DateTimeField(read_only=True)
    cleaner = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = JobSerializer.Meta.fields + ["priority", "first_time_cleaner", "photo_taken_at", "cleaner"]
        read_only_fields = fields

    def get_priority(self, job) -> str:
        return PRIORITY_LABELS[job.priority]

    def get_cleaner(self, job) -> dict:
        from jobs.models import CleanerJobStats

        stats = getattr(job.claimed_by, "job_stats", None) or CleanerJobStats(user=job.claimed_by)
        return CleanerHistorySerializer(stats).data


class SLASerializer(serializers.Serializer):
    queue_length = serializers.IntegerField()
    waiting_over_24h = serializers.IntegerField()
    waiting_over_48h = serializers.IntegerField()
    average_verify_seconds = serializers.IntegerField(allow_null=True)
    alert = serializers.BooleanField(help_text="more than 20 jobs waiting")


class JobVerifySerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=JobReview.Action.values)
    reason = serializers.ChoiceField(choices=RejectionReason.values, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    allow_retry = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(many=False)
class VerificationQueuePageSerializer(serializers.Serializer):
    """The queue's page: the usual page of results, plus the SLA figures (for the schema only)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    sla = SLASerializer()
    results = QueueItemSerializer(many=True)
