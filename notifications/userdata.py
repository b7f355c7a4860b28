from cleanit.userdata import register_anonymiser, register_exporter

from .models import Notification, NotificationPreference
from .selectors import preferences_for


def export_notifications(user_id):
    return {
        "preferences": preferences_for(user=user_id),
        "items": [
            {"id": str(n.pk), "category": n.category, "event": n.event, "title": n.title, "body": n.body,
             "link": n.link, "is_read": n.is_read, "created_at": n.created_at.isoformat()}
            for n in Notification.objects.filter(user_id=user_id).order_by("created_at")
        ],
    }


def forget_notifications(user_id):
    """Notifications are personal messages, not financial records: they go with the account."""
    Notification.objects.filter(user_id=user_id).delete()
    NotificationPreference.objects.filter(user_id=user_id).delete()


register_exporter("notifications", export_notifications)
register_anonymiser("notifications", forget_notifications)
