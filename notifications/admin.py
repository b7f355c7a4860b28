from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "category", "event", "is_read", "created_at")
    list_filter = ("category", "is_read")
    search_fields = ("user__email", "title", "event")
    list_select_related = ("user",)
    readonly_fields = ("user", "category", "event", "title", "body", "link", "is_read", "read_at", "dedupe_key",
                       "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "bookings", "campaigns", "jobs", "payments")
    search_fields = ("user__email",)
    list_select_related = ("user",)
