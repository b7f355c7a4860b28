"""The admin of cleaner profiles and service packages: search and filters, read-only pages with the
schedule and services, and actions that go through the services (suspending takes a cleaner out of
searches, stopping a service moves the 'from' price)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace import selectors
from marketplace.models import CleanerKYC, CleanerProfile, ServicePackage
from marketplace.tests.factories import AdminFactory, CleanerProfileFactory, ScheduleRangeFactory, ServicePackageFactory

pytestmark = pytest.mark.django_db
PROFILES = reverse("admin:marketplace_cleanerprofile_changelist")
PACKAGES = reverse("admin:marketplace_servicepackage_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def listed_profile(**fields) -> CleanerProfile:
    return ServicePackageFactory(cleaner=CleanerProfileFactory(**fields)).cleaner


def shown(response) -> set:
    assert response.status_code == 200
    return {profile.pk for profile in response.context["cl"].result_list}


def test_search_by_name_and_city(admin_client):
    asha = listed_profile(user__name="Asha Rao", city="Pune")
    ravi = listed_profile(user__name="Ravi Iyer", city="Chennai")
    assert shown(admin_client.get(PROFILES, {"q": "asha"})) == {asha.pk}
    assert shown(admin_client.get(PROFILES, {"q": "chennai"})) == {ravi.pk}


def test_filters_verified_available_city_listed(admin_client):
    verified = listed_profile(city="Pune")
    CleanerKYC.objects.create(user=verified.user, id_type="pan", id_number_encrypted="x", id_number_masked="x",
                              account_holder_name="A B", payout_method="upi", status="verified",
                              submitted_at=timezone.now())
    away = listed_profile(city="Delhi", is_available=False)
    unlisted = CleanerProfileFactory(city="Delhi")
    assert shown(admin_client.get(PROFILES, {"verified": "yes"})) == {verified.pk}
    assert shown(admin_client.get(PROFILES, {"verified": "no"})) == {away.pk, unlisted.pk}
    assert shown(admin_client.get(PROFILES, {"is_available__exact": "0"})) == {away.pk}
    assert shown(admin_client.get(PROFILES, {"city": "Delhi"})) == {away.pk, unlisted.pk}
    assert shown(admin_client.get(PROFILES, {"listed": "no"})) == {unlisted.pk}


def test_pages_are_read_only_with_schedule_and_services(admin_client):
    profile = listed_profile()
    ScheduleRangeFactory(profile=profile, weekday=2, start_minute=540, end_minute=780)
    response = admin_client.get(reverse("admin:marketplace_cleanerprofile_change", args=[profile.pk]))
    content = response.content.decode()
    assert response.status_code == 200 and "Wednesday" in content and "09:00" in content and "₹800.00" in content
    assert admin_client.get(reverse("admin:marketplace_cleanerprofile_add")).status_code == 403
    response = admin_client.post(reverse("admin:marketplace_cleanerprofile_change", args=[profile.pk]),
                                 {"bio": "Changed by hand"})
    profile.refresh_from_db()
    assert response.status_code == 403 and profile.bio != "Changed by hand"
    package = profile.services.get()
    assert admin_client.get(reverse("admin:marketplace_servicepackage_change", args=[package.pk])).status_code == 200


def test_mark_unavailable_then_available(admin_client):
    profile = listed_profile()
    admin_client.post(PROFILES, {"action": "mark_unavailable", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert profile.is_available is False
    admin_client.post(PROFILES, {"action": "mark_available", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert profile.is_available is True


def test_suspending_takes_a_cleaner_out_of_searches(admin_client):
    profile, other = listed_profile(), listed_profile()
    response = admin_client.post(PROFILES, {"action": "suspend_cleaners", "_selected_action": [profile.pk]})
    assert response.status_code == 200 and b"reason" in response.content  # asks for a reason first
    admin_client.post(PROFILES, {"action": "suspend_cleaners", "_selected_action": [profile.pk], "apply": "1",
                                 "reason": "Repeated no-shows"})
    profile.user.refresh_from_db()
    assert profile.user.is_suspended and profile.user.suspension_reason == "Repeated no-shows"
    assert list(selectors.cleaner_search()) == [other]


def test_stop_and_start_offering_services(admin_client):
    package = ServicePackageFactory(price=600_00)
    admin_client.post(PACKAGES, {"action": "deactivate_packages", "_selected_action": [package.pk]})
    package.refresh_from_db()
    package.cleaner.refresh_from_db()
    assert package.is_active is False and package.cleaner.min_active_price is None
    admin_client.post(PACKAGES, {"action": "activate_packages", "_selected_action": [package.pk]})
    package.cleaner.refresh_from_db()
    assert package.cleaner.min_active_price == 600_00
    assert ServicePackage.objects.filter(is_active=True).count() == 1
    response = admin_client.get(PACKAGES, {"q": package.cleaner.user.name.split()[0]})
    assert package in response.context["cl"].result_list
