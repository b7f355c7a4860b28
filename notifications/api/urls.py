from cleanit.api.routing import api_path

from . import views

urlpatterns = [
    api_path("notifications", views.NotificationListView.as_view(), "notifications-list"),
    api_path("notifications/unread-count", views.UnreadCountView.as_view(), "notifications-unread-count"),
    api_path("notifications/read-all", views.MarkAllReadView.as_view(), "notifications-read-all"),
    api_path("notifications/<notification_id>/read", views.MarkReadView.as_view(), "notifications-read"),
]
