"""The Django admin for bookings (imported by bookings/admin.py): bookings with their timeline
(read-only money), cleaners' cancellation records, and the marketplace health dashboard."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cleanit.admin_site import ReadOnlyAdmin, ReadOnlyInline

from . import metrics
from .models import Booking, BookingEvent, CleanerCancellation


class BookingEventInline(ReadOnlyInline):
    model = BookingEvent
    fields = ("created_at", "party", "actor", "action", "from_status", "to_status", "note")


class StartsFilter(admin.SimpleListFilter):
    title = "start"
    parameter_name = "starts"

    def lookups(self, request, model_admin):
        return (("today", "Today (IST)"), ("upcoming", "Upcoming"), ("past", "Past"))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "today":
            midnight = datetime.combine(timezone.localdate(now), time.min, tzinfo=timezone.get_default_timezone())
            return queryset.filter(starts_at__gte=midnight, starts_at__lt=midnight + timedelta(days=1))
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if self.value() == "past":
            return queryset.filter(starts_at__lt=now)
        return queryset


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "payment_status", "customer", "cleaner", "city", "starts_at", "total_price",
                    "refund_amount")
    list_filter = ("status", "payment_status", StartsFilter, "city", "service_type", "cancelled_by")
    search_fields = ("customer__email", "customer__name", "cleaner__user__email", "cleaner__user__name", "city",
                     "pincode", "service_name")
    list_select_related = ("customer", "cleaner__user")
    date_hierarchy = "starts_at"
    readonly_fields = [f.name for f in Booking._meta.fields]
    rupee_fields = ("service_price", "platform_fee", "total_price", "refund_amount", "cleaner_amount", "fee_amount")
    inlines = [BookingEventInline]


@admin.register(CleanerCancellation)
class CleanerCancellationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "cleaner", "booking", "reason", "led_to_suspension")
    list_filter = ("led_to_suspension",)
    search_fields = ("cleaner__user__email", "cleaner__user__name", "reason")
    list_select_related = ("cleaner__user", "booking")
    readonly_fields = [f.name for f in CleanerCancellation._meta.fields]


def health_view(request):
    return render(request, "admin/bookings/health.html", {
        **admin.site.each_context(request), "title": "Marketplace health", "health": metrics.marketplace_health(),
        "targets": {"confirmation_hours": metrics.CONFIRMATION_TARGET.total_seconds() / 3600,
                    "rating": metrics.RATING_TARGET, "radius_km": metrics.COVERAGE_RADIUS_KM,
                    "min_cleaners": metrics.COVERAGE_MIN_CLEANERS, "days": metrics.WINDOW_DAYS}})


def _glance():
    counts = Booking.objects.aggregate(
        waiting=Count("id", filter=Q(status=Booking.Status.PENDING)),
        unpaid=Count("id", filter=Q(status=Booking.Status.CONFIRMED, payment_status=Booking.PaymentStatus.PENDING)))
    bookings = reverse("admin:bookings_booking_changelist")
    return [("Booking requests waiting", counts["waiting"], f"{bookings}?status__exact=pending", False),
            ("Accepted bookings unpaid", counts["unpaid"],
             f"{bookings}?status__exact=confirmed&payment_status__exact=pending", False)]


admin.site.register_dashboard("marketplace-health", "Marketplace health (bookings)", health_view)
admin.site.register_glance(_glance)
