"""The bookings admin (read-only bookings with their timeline, cancellation records) and the marketplace
health dashboard's figures, each proven by data that would show a wrong computation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import metrics, services
from marketplace.models import CleanerKYC
from marketplace.tests.factories import AdminFactory

from .factories import book, listed_cleaner

pytestmark = pytest.mark.django_db


def _verify(profile):
    CleanerKYC.objects.create(user=profile.user, id_type="pan", id_number_encrypted="x", id_number_masked="x",
                              account_holder_name=profile.user.name, payout_method="upi",
                              status=CleanerKYC.Status.VERIFIED, submitted_at=timezone.now())


def test_health_figures():
    now = timezone.now()
    package = listed_cleaner()
    fast = book(package, at="10:00", now=now - timedelta(hours=5))
    slow = book(package, at="14:00", now=now - timedelta(hours=5))
    services.booking_accept(booking=fast, user=package.cleaner.user, now=now - timedelta(hours=4))  # 1 h
    services.booking_accept(booking=slow, user=package.cleaner.user, now=now - timedelta(hours=2))  # 3 h
    customer_cancel = book(package, at="17:00", now=now - timedelta(hours=1))
    services.booking_cancel(booking=customer_cancel, user=customer_cancel.customer, now=now)
    health = metrics.marketplace_health(now=now)
    assert health.requested == 3 and health.confirmed == 2
    assert health.median_confirmation == timedelta(hours=2)  # the median of 1 h and 3 h
    assert health.confirmation_met is False
    assert health.cancelled_by == {"customer": 1, "cleaner": 0, "system": 0}
    assert health.average_rating is None and health.repeat_rate is None


def test_coverage_counts_verified_listed_cleaners_within_5_km():
    package = listed_cleaner(latitude=12.9716, longitude=77.5946)
    booking = book(package)
    assert metrics.marketplace_health().coverage_share == 0  # the cleaner is not verified
    for offset in (0.0, 0.01, 0.02):  # up to ~2.2 km north
        _verify(listed_cleaner(latitude=12.9716 + offset, longitude=77.5946).cleaner)
    far = listed_cleaner(latitude=13.2, longitude=77.5946).cleaner  # ~25 km
    _verify(far)
    health = metrics.marketplace_health()
    assert health.coverage_share == 1 and health.coverage[0].city == booking.city


def test_admin_pages_answer(client):
    package = listed_cleaner()
    booking = book(package)
    client.force_login(AdminFactory())
    for url in ("/admin/bookings/booking/", f"/admin/bookings/booking/{booking.pk}/change/",
                "/admin/bookings/booking/?starts=today", "/admin/bookings/booking/?starts=upcoming",
                "/admin/bookings/cleanercancellation/", "/admin/dashboards/marketplace-health/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Median time from request to confirmation" in client.get("/admin/dashboards/marketplace-health/").content
    assert client.post("/admin/bookings/booking/add/").status_code == 403
