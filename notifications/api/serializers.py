from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "category", "event", "title", "body", "link", "is_read", "created_at"]
        read_only_fields = fields


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class UpdatedSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
