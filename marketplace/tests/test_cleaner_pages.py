"""The cleaner pages (issue 10, item 5) through Django's client: find cleaners, a cleaner's profile with
its free times (plain GET and htmx), and the cleaner dashboard (profile, services, schedule,
availability). Every form's bad input is a form error with nothing saved, never a 500; the rules
themselves are the services' and selectors' (tested with them)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.tests.factories import verified_cleaner
from marketplace import hooks, notices, services
from marketplace.models import CleanerProfile, ScheduleRange, ServicePackage
from marketplace.templatetags.cleaners import initials, minute_of_day
from marketplace.tests.factories import (
    PASSWORD,
    CleanerFactory,
    CleanerProfileFactory,
    ScheduleRangeFactory,
    ServicePackageFactory,
    UserFactory,
)
from notifications.models import Notification
from tests.geo import CENTRE, EAST, NORTH, point_at

pytestmark = pytest.mark.django_db

FIND = reverse("cleaners:find")
DASHBOARD = reverse("marketplace:cleaner_dashboard")
PROFILE_FORM = reverse("marketplace:cleaner_profile_edit")
SCHEDULE = reverse("marketplace:cleaner_schedule")
ADD_SERVICE = reverse("marketplace:cleaner_service_add")

PROFILE = dict(bio="Ten years of careful cleaning.", experience_years="10", hourly_rate="350", street="12 MG Road",
               city="Bengaluru", state="Karnataka", pincode="560001", latitude="12.9716", longitude="77.5946")
PACKAGE = dict(name="2 BHK deep clean", description="Kitchen, bathrooms, floors.", service_type="deep_clean",
               price="2500", duration_hours="3.0", is_active="on")


def listed(name="Lakshmi Narayanan", km=0.0, bearing=NORTH, price=800_00, user=None, **fields) -> CleanerProfile:
    """A cleaner found in searches, ``km`` from the Bengaluru centre, with one active package."""
    lat, lng = point_at(CENTRE, km, bearing)
    profile = CleanerProfileFactory(user=user or CleanerFactory(name=name), latitude=lat, longitude=lng, **fields)
    ServicePackageFactory(cleaner=profile, price=price)
    return profile


def names(response) -> list[str]:
    return re.findall(r'<h3><a href="/cleaners/[^"]+/">([^<]+)</a></h3>', response.content.decode())


def signed_in(client, user):
    client.force_login(user)
    return client


def next_weekday(weekday: int):
    """The next date (IST) falling on ``weekday``, at least a day ahead so no slot is in the past."""
    day = timezone.localdate() + timedelta(days=1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.mark.parametrize("name,letters", [("Lakshmi Narayanan", "LN"), ("A. R. rahman", "AR"), ("Priya", "P"), ("", "?")])
def test_initials_avatar(name, letters):
    assert initials(name) == letters


@pytest.mark.parametrize("minutes,text", [(0, "12:00 AM"), (570, "9:30 AM"), (750, "12:30 PM"), (1410, "11:30 PM"),
                                          (1440, "12:00 midnight")])
def test_times_of_day_as_people_read_them(minutes, text):
    assert minute_of_day(minutes) == text


class TestHomeAndTopBar:
    def test_the_home_search_leads_to_find_cleaners_with_the_city(self, client):
        listed(city="Pune")
        content = client.get(reverse("home")).content.decode()
        form = re.search(r'<form method="get" action="([^"]+)"[^>]*class="home-search".*?</form>', content, re.S)
        assert form.group(1) == FIND and 'name="city"' in form.group(0)
        assert '<option value="Pune">' in content and "coming soon" not in content

    def test_find_cleaners_is_the_first_top_bar_link(self, client):
        content = client.get(FIND).content.decode()
        links = re.search(r'<ul class="nav-links">(.*?)</ul>', content, re.S).group(1)
        assert re.findall(r"<a [^>]*>([^<]+)</a>", links)[0] == "Find cleaners"
        assert 'href="/cleaners/" aria-current="page"' in links

    def test_cleaners_have_the_dashboard_in_their_account_menu(self, client):
        assert "Cleaner dashboard" in signed_in(client, CleanerFactory()).get(FIND).content.decode()
        client.logout()
        assert "Cleaner dashboard" not in signed_in(client, UserFactory()).get(FIND).content.decode()

    def test_the_welcome_notification_advertises_finding_cleaners(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            user = services.user_register(email="asha@example.in", password=PASSWORD, name="Asha Devi",
                                          phone="9876543210", role="customer", accept_terms=True)
        assert "Find rated cleaners" in Notification.objects.get(user=user, event="account.welcome").body


class TestFindCleaners:
    def test_a_card_shows_initials_rating_rates_distance_and_badge(self, client):
        listed(user=verified_cleaner(name="Lakshmi Narayanan"), km=3, rating_total=106, rating_count=23,
               rating_avg=106 / 23, hourly_rate=450_00, price=1_200_00)
        content = client.get(FIND, {"city": "bengaluru", "radius_km": "5"}).content.decode()
        card = re.search(r'<article class="cleaner-card".*?</article>', content, re.S).group(0)
        assert '<span class="avatar" aria-hidden="true">LN</span>' in card
        assert 'aria-label="4.6 out of 5, 23 reviews"' in card
        assert "₹450.00</strong> per hour" in card and "services from <strong>₹1,200.00" in card
        assert "3.0 km away" in card and "✓ Verified" in card
        assert "Within 5 km of central Bengaluru." in content

    def test_a_cleaner_without_reviews_is_new_and_unverified_has_no_badge(self, client):
        listed()
        card = client.get(FIND).content.decode()
        assert "New</span> <span class=\"muted\">no reviews yet" in card and "✓ Verified" not in card

    def test_only_listed_cleaners_appear(self, client):
        listed(name="Shown Cleaner")
        CleanerProfileFactory(user=CleanerFactory(name="No Package"))
        suspended = listed(name="Suspended Cleaner")
        services.user_suspend(user=suspended.user, reason="spam")
        assert names(client.get(FIND)) == ["Shown Cleaner"]

    def test_city_filter_in_any_letter_case(self, client):
        listed(name="In Pune", city="Pune")
        listed(name="In Chennai", city="Chennai")
        assert names(client.get(FIND, {"city": "  PUNE "})) == ["In Pune"]

    def test_within_a_radius_of_the_city_centre(self, client):
        listed(name="Near Centre", km=4.9)
        listed(name="Far Out", km=5.2, bearing=EAST)
        response = client.get(FIND, {"city": "Bengaluru", "radius_km": "5"})
        assert response.status_code == 200 and names(response) == ["Near Centre"]

    def test_within_a_radius_of_the_person_nearest_first(self, client):
        listed(name="Two Away", km=2)
        listed(name="One Away", km=1, bearing=EAST)
        listed(name="Too Far", km=30)
        lat, lng = point_at(CENTRE, 0.01, NORTH)
        response = client.get(FIND, {"lat": lat, "lng": lng, "radius_km": "10", "sort": "distance"})
        assert names(response) == ["One Away", "Two Away"]
        assert "Within 10 km of your location." in response.content.decode()

    def test_rating_price_type_and_available_filters(self, client):
        listed(name="Top Rated", rating_total=45, rating_count=10, rating_avg=4.5, hourly_rate=600_00)
        cheap = listed(name="Cheap Deep", rating_total=30, rating_count=10, rating_avg=3.0, hourly_rate=200_00)
        ServicePackageFactory(cleaner=cheap, service_type="deep_clean")
        listed(name="Away Today", is_available=False)
        assert names(client.get(FIND, {"min_rating": "4"})) == ["Top Rated"]
        assert names(client.get(FIND, {"max_rate": "250"})) == ["Cheap Deep"]  # rupees on the page
        assert names(client.get(FIND, {"service_type": "deep_clean"})) == ["Cheap Deep"]
        assert "Away Today" not in names(client.get(FIND, {"available": "on"}))
        assert names(client.get(FIND, {"sort": "price"}))[0] == "Cheap Deep"

    def test_pagination_keeps_the_filters(self, client):
        for number in range(13):
            listed(name=f"Pune Cleaner {number:02d}", city="Pune")
        listed(name="Elsewhere", city="Delhi")
        first = client.get(FIND, {"city": "Pune", "sort": "price"}).content.decode()
        assert 'href="?city=Pune&amp;sort=price&amp;page=2"' in first
        second = client.get(FIND, {"city": "Pune", "sort": "price", "page": "2"})
        assert len(names(second)) == 1 and "Elsewhere" not in names(second)

    @pytest.mark.parametrize("query,field", [
        ({"lat": "12.97"}, "lng"),
        ({"lat": "abc", "lng": "77.59"}, "lat"),
        ({"lat": "51.5", "lng": "-0.12"}, "lat"),
        ({"radius_km": "5", "city": "Atlantis"}, "radius_km"),
        ({"radius_km": "500", "city": "Pune"}, "radius_km"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "cheapest"}, "sort"),
        ({"min_rating": "six"}, "min_rating"),
        ({"min_rating": "7"}, "min_rating"),
        ({"max_rate": "abc"}, "max_rate"),
        ({"max_rate": "0"}, "max_rate"),
        ({"service_type": "windows"}, "service_type"),
    ])
    def test_bad_filters_are_form_errors_over_the_unfiltered_list(self, client, query, field):
        listed(name="Still Listed")
        response = client.get(FIND, query)
        content = response.content.decode()
        assert response.status_code == 400 and f'id="id_{field}-errors"' in content
        assert f'aria-describedby="id_{field}-errors"' in content and names(response) == ["Still Listed"]

    def test_a_rate_refused_speaks_of_rupees(self, client):
        assert notices.MAX_RATE_RUPEES in client.get(FIND, {"max_rate": "-5"}).content.decode()


class TestCleanerProfile:
    def test_the_profile_shows_who_what_and_for_how_much(self, client):
        profile = listed(name="Meena Kumari", experience_years=7, bio="I bring my own eco-friendly supplies.")
        ServicePackageFactory(cleaner=profile, name="Sofa shampoo", price=1_499_00, duration_minutes=150,
                              service_type="specialized")
        ServicePackageFactory(cleaner=profile, name="Old offer", is_active=False)
        content = client.get(reverse("cleaners:profile", args=[profile.pk])).content.decode()
        assert "<h1>Meena Kumari</h1>" in content and "I bring my own eco-friendly supplies." in content
        assert "7 years" in content and "₹300.00 per hour" in content
        row = re.search(r"<tr data-service-id[^>]*>\s*<td data-label=\"Service\"><strong>Sofa shampoo.*?</tr>",
                        content, re.S).group(0)
        assert "Specialised" in row and "2 h 30 min" in row and "₹1,499.00" in row
        assert re.search(r"<a href=\"/bookings/new/\?cleaner=[^\"]+\" role=\"button\"[^>]*>Book", row)
        assert "Booking opens soon" not in content and "Old offer" not in content
        assert "<dt>Answers requests</dt><dd>new</dd>" in content and "<dt>Cancellation rate</dt><dd>new</dd>" in content
        assert "No reviews yet" in content

    def test_figures_once_there_is_data(self, client):
        profile = listed(response_count=4, response_seconds_total=4 * 1500, accepted_bookings=20,
                         cleaner_cancellations=1)
        content = client.get(reverse("cleaners:profile", args=[profile.pk])).content.decode()
        assert "<dd>about 25 minutes</dd>" in content and "<dd>5%</dd>" in content

    @pytest.mark.parametrize("cleaner_id", ["not-a-uuid", "7b1e7c58-1111-4222-8333-944445555666"])
    def test_unknown_cleaner_is_a_404_page(self, client, cleaner_id):
        response = client.get(reverse("cleaners:profile", args=[cleaner_id]))
        assert response.status_code == 404 and notices.CLEANER_NOT_FOUND in response.content.decode()

    def test_the_page_shows_whom_the_api_shows_and_tells_an_unlisted_cleaner_why(self, client, api_client):
        suspended = listed()
        services.user_suspend(user=suspended.user, reason="spam")
        no_package = CleanerProfileFactory()
        for profile, status in ((suspended, 404), (no_package, 200)):
            assert client.get(reverse("cleaners:profile", args=[profile.pk])).status_code == status
            assert api_client.get(f"/api/v1/cleaners/{profile.pk}").status_code == status
        assert notices.NOT_SEARCHABLE_YET not in client.get(
            reverse("cleaners:profile", args=[no_package.pk])).content.decode()
        own = signed_in(client, no_package.user).get(reverse("cleaners:profile", args=[no_package.pk]))
        assert own.status_code == 200 and notices.NOT_SEARCHABLE_YET in own.content.decode()


class TestFreeTimes:
    @pytest.fixture
    def monday(self):
        profile = listed(name="Ravi Shankar")
        ScheduleRangeFactory(profile=profile, weekday=0, start_minute=9 * 60, end_minute=13 * 60)
        service = profile.services.get()
        return profile, service, next_weekday(0)

    def test_plain_get_shows_the_free_times_on_the_page(self, client, monday):
        profile, service, day = monday
        response = client.get(reverse("cleaners:profile", args=[profile.pk]),
                              {"service_id": str(service.pk), "date": day.isoformat()})
        content = response.content.decode()
        assert response.status_code == 200 and "<h1>Ravi Shankar</h1>" in content
        slots = re.findall(r"<li>([^<]+ – [^<]+)</li>", content)
        assert slots == ["9:00 AM – 11:00 AM", "9:30 AM – 11:30 AM", "10:00 AM – 12:00 PM",
                         "10:30 AM – 12:30 PM", "11:00 AM – 1:00 PM"]
        assert f'<option value="{service.pk}" selected>' in content

    def test_htmx_gets_only_the_free_times(self, client, monday):
        profile, service, day = monday
        response = client.get(reverse("cleaners:profile", args=[profile.pk]),
                              {"service_id": str(service.pk), "date": day.isoformat()}, HTTP_HX_REQUEST="true")
        content = response.content.decode()
        assert response.status_code == 200 and "<html" not in content and "9:00 AM – 11:00 AM" in content
        assert "HX-Request" in response["Vary"]

    def test_a_day_without_schedule_has_none(self, client, monday):
        profile, service, day = monday
        response = client.get(reverse("cleaners:profile", args=[profile.pk]),
                              {"service_id": str(service.pk), "date": (day + timedelta(days=1)).isoformat()})
        assert "No free times on this day" in response.content.decode()

    @pytest.mark.parametrize("change,field", [
        (lambda service, day: {"date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "date"),
        (lambda service, day: {"date": (timezone.localdate() + timedelta(days=90)).isoformat()}, "date"),
        (lambda service, day: {"date": "someday"}, "date"),
        (lambda service, day: {"service_id": ""}, "service_id"),
        (lambda service, day: {"service_id": str(ServicePackageFactory().pk)}, "service_id"),
    ])
    def test_bad_choices_are_form_errors(self, client, monday, change, field):
        profile, service, day = monday
        query = {"service_id": str(service.pk), "date": day.isoformat(), **change(service, day)}
        url = reverse("cleaners:profile", args=[profile.pk])
        page = client.get(url, query)
        assert page.status_code == 400 and f'id="id_{field}-errors"' in page.content.decode()
        partial = client.get(url, query, HTTP_HX_REQUEST="true")  # htmx swaps 2xx only
        assert partial.status_code == 200 and f'id="id_{field}-errors"' in partial.content.decode()

    def test_an_unknown_service_is_an_error_on_the_form(self, client, monday):
        profile, _, day = monday
        response = client.get(reverse("cleaners:profile", args=[profile.pk]),
                              {"service_id": "7b1e7c58-1111-4222-8333-944445555666", "date": day.isoformat()})
        assert response.status_code == 400 and "No such service." in response.content.decode()


class TestDashboardAccess:
    def test_visitors_log_in_and_customers_are_refused(self, client):
        assert client.get(DASHBOARD)["Location"].startswith(reverse("marketplace:login"))
        refused = signed_in(client, UserFactory()).get(DASHBOARD)
        assert refused.status_code == 403 and "sign up with the role" in refused.content.decode()
        assert client.post(ADD_SERVICE, PACKAGE).status_code == 403 and not ServicePackage.objects.exists()

    def test_a_cleaner_without_a_profile_is_led_to_create_one(self, client):
        cleaner = CleanerFactory()
        response = client.post(reverse("marketplace:login"), {"email": cleaner.email, "password": PASSWORD})
        assert response["Location"] == PROFILE_FORM
        dashboard = client.get(DASHBOARD).content.decode()
        assert "Create your cleaner profile" in dashboard and f'href="{PROFILE_FORM}"' in dashboard
        assert client.get(ADD_SERVICE)["Location"] == PROFILE_FORM
        assert client.get(SCHEDULE)["Location"] == PROFILE_FORM

    def test_a_cleaner_with_a_profile_and_a_customer_go_home(self, client):
        cleaner = CleanerProfileFactory().user
        assert client.post(reverse("marketplace:login"), {"email": cleaner.email, "password": PASSWORD})["Location"] == "/"
        client.logout()
        customer = UserFactory()
        assert client.post(reverse("marketplace:login"), {"email": customer.email, "password": PASSWORD})["Location"] == "/"

    def test_the_dashboard_shows_profile_services_week_kyc_and_earnings(self, client):
        profile = CleanerProfileFactory()
        ServicePackageFactory(cleaner=profile, name="Kitchen deep clean", is_active=False)
        ScheduleRangeFactory(profile=profile, weekday=2, start_minute=8 * 60, end_minute=12 * 60 + 30)
        content = signed_in(client, profile.user).get(DASHBOARD).content.decode()
        assert "Kitchen deep clean" in content and "Inactive" in content
        assert "<dt>Wednesday</dt><dd>8:00 AM – 12:30 PM</dd>" in content and "<dt>Monday</dt><dd><span class=\"muted\">Off" in content
        assert notices.NOT_SEARCHABLE_YET in content  # its only package is inactive
        assert 'href="/account/kyc/"' in content and 'href="/account/earnings/"' in content
        assert "Not submitted" in content


class TestProfileForm:
    def test_create_then_edit(self, client):
        cleaner = CleanerFactory()
        signed_in(client, cleaner)
        response = client.post(PROFILE_FORM, PROFILE)
        assert response["Location"] == DASHBOARD
        profile = CleanerProfile.objects.get(user=cleaner)
        assert profile.hourly_rate == 350_00 and profile.city == "Bengaluru" and profile.pincode == "560001"
        form = client.get(PROFILE_FORM).content.decode()
        assert 'value="350"' in form and "Edit your cleaner profile" in form
        client.post(PROFILE_FORM, {**PROFILE, "city": "Mysuru"})
        profile.refresh_from_db()
        assert profile.city == "Mysuru"

    def test_an_edit_saves_only_what_changed(self, client):
        profile = CleanerProfileFactory(hourly_rate=450_50)
        signed_in(client, profile.user)
        initial = {**PROFILE, "hourly_rate": "450", "street": profile.street, "bio": "New words.",
                   "experience_years": str(profile.experience_years), "latitude": str(profile.latitude),
                   "longitude": str(profile.longitude), "pincode": profile.pincode}
        assert client.post(PROFILE_FORM, initial).status_code == 302
        profile.refresh_from_db()
        assert profile.bio == "New words." and profile.hourly_rate == 450_50  # not rounded to the form's rupees

    @pytest.mark.parametrize("field,value", [
        ("pincode", "012345"), ("pincode", "56001"), ("latitude", "51.5"), ("longitude", "-0.1"),
        ("bio", "x" * 501), ("hourly_rate", "50"), ("hourly_rate", "ten"), ("experience_years", "61"),
        ("city", ""), ("latitude", ""),
    ])
    def test_bad_input_is_a_form_error_and_nothing_is_saved(self, client, field, value):
        signed_in(client, CleanerFactory())
        response = client.post(PROFILE_FORM, {**PROFILE, field: value})
        content = response.content.decode()
        assert response.status_code == 400 and f'id="id_{field}-errors"' in content
        assert f'aria-describedby="id_{field}-errors' in content and not CleanerProfile.objects.exists()


class TestServices:
    @pytest.fixture
    def cleaner(self, client):
        profile = CleanerProfileFactory()
        signed_in(client, profile.user)
        return profile

    def test_add_edit_and_the_from_price(self, client, cleaner):
        assert client.post(ADD_SERVICE, PACKAGE)["Location"] == DASHBOARD
        package = ServicePackage.objects.get(cleaner=cleaner)
        assert (package.price, package.duration_minutes, package.service_type) == (2_500_00, 180, "deep_clean")
        url = reverse("marketplace:cleaner_service_edit", args=[package.pk])
        assert 'value="3.0" selected' in client.get(url).content.decode()
        client.post(url, {**PACKAGE, "price": "1800", "duration_hours": "2.5"})
        package.refresh_from_db()
        cleaner.refresh_from_db()
        assert (package.price, package.duration_minutes, cleaner.min_active_price) == (1_800_00, 150, 1_800_00)

    def test_deactivating_by_the_form(self, client, cleaner):
        package = ServicePackageFactory(cleaner=cleaner)
        client.post(reverse("marketplace:cleaner_service_edit", args=[package.pk]),
                    {**PACKAGE, "is_active": ""})
        package.refresh_from_db()
        assert not package.is_active

    @pytest.mark.parametrize("field,value", [
        ("name", "ab"), ("price", "50"), ("price", "100001"), ("price", "lots"), ("duration_hours", "0.75"),
        ("duration_hours", "12.5"), ("service_type", "windows"), ("description", "x" * 1001),
    ])
    def test_bad_input_is_a_form_error_and_nothing_is_saved(self, client, cleaner, field, value):
        response = client.post(ADD_SERVICE, {**PACKAGE, field: value})
        assert response.status_code == 400 and f'id="id_{field}-errors"' in response.content.decode()
        assert not ServicePackage.objects.exists()

    def test_another_cleaners_service_is_a_404_page(self, client, cleaner):
        theirs = ServicePackageFactory(name="Not yours")
        edit = reverse("marketplace:cleaner_service_edit", args=[theirs.pk])
        delete = reverse("marketplace:cleaner_service_delete", args=[theirs.pk])
        assert client.get(edit).status_code == 404
        assert client.post(edit, {**PACKAGE, "name": "Taken over"}).status_code == 404
        assert client.post(delete).status_code == 404
        theirs.refresh_from_db()
        assert theirs.name == "Not yours" and theirs.is_active

    def test_delete_says_it_deleted(self, client, cleaner):
        package = ServicePackageFactory(cleaner=cleaner, name="One-off")
        url = reverse("marketplace:cleaner_service_delete", args=[package.pk])
        assert "Delete “One-off”?" in client.get(url).content.decode()
        dashboard = client.post(url, follow=True).content.decode()
        assert notices.PACKAGE_DELETED in dashboard and not ServicePackage.objects.exists()

    def test_delete_with_bookings_says_it_deactivated(self, client, cleaner):
        package = ServicePackageFactory(cleaner=cleaner)

        def booked(candidate):
            return candidate.pk == package.pk

        hooks.register_package_bookings_check(booked)
        try:
            dashboard = client.post(reverse("marketplace:cleaner_service_delete", args=[package.pk]),
                                    follow=True).content.decode()
        finally:
            hooks.package_bookings.unregister(booked)
        package.refresh_from_db()
        assert notices.PACKAGE_DEACTIVATED in dashboard and not package.is_active


def week_post(rows: dict[int, list[tuple[str, str]]], **extra) -> dict:
    """The schedule form as a browser sends it: per weekday (day0..day6) its rows, with the management form."""
    data = {}
    for day in range(7):
        day_rows = rows.get(day, [])
        data[f"day{day}-TOTAL_FORMS"] = str(len(day_rows) + 1)
        data[f"day{day}-INITIAL_FORMS"] = "0"
        for index, (start, end) in enumerate(day_rows):
            data[f"day{day}-{index}-start"], data[f"day{day}-{index}-end"] = start, end
    data.update(extra)
    return data


class TestSchedule:
    @pytest.fixture
    def cleaner(self, client):
        profile = CleanerProfileFactory()
        signed_in(client, profile.user)
        return profile

    def ranges(self, profile):
        return list(ScheduleRange.objects.filter(profile=profile).values_list("weekday", "start_minute", "end_minute"))

    def test_save_a_week(self, client, cleaner):
        response = client.post(SCHEDULE, week_post({0: [("09:00", "13:00"), ("14:00", "18:00")], 5: [("08:00", "24:00")]}))
        assert response["Location"] == DASHBOARD
        assert sorted(self.ranges(cleaner)) == [(0, 540, 780), (0, 840, 1080), (5, 480, 1440)]

    def test_the_form_shows_the_week_and_removes_a_range(self, client, cleaner):
        ScheduleRangeFactory(profile=cleaner, weekday=1, start_minute=600, end_minute=720)
        ScheduleRangeFactory(profile=cleaner, weekday=1, start_minute=780, end_minute=900)
        content = client.get(SCHEDULE).content.decode()
        assert '<option value="10:00" selected>10:00 AM</option>' in content
        data = week_post({})
        data.update({"day1-TOTAL_FORMS": "3", "day1-INITIAL_FORMS": "2", "day1-0-start": "10:00", "day1-0-end": "12:00",
                     "day1-0-DELETE": "on", "day1-1-start": "13:00", "day1-1-end": "15:00"})
        assert client.post(SCHEDULE, data).status_code == 302
        assert self.ranges(cleaner) == [(1, 780, 900)]

    @pytest.mark.parametrize("rows,row,field", [
        ({2: [("09:00", "13:00"), ("12:00", "15:00")]}, 1, "start"),  # overlaps the first
        ({2: [("13:00", "09:00")]}, 0, "end"),                         # ends before it starts
        ({2: [("09:15", "12:00")]}, 0, "start"),                       # off the half-hour grid
        ({2: [("09:00", "")]}, 0, "end"),                              # half a range
    ])
    def test_a_bad_range_is_an_error_on_that_row_and_nothing_is_saved(self, client, cleaner, rows, row, field):
        ScheduleRangeFactory(profile=cleaner, weekday=4, start_minute=600, end_minute=720)
        response = client.post(SCHEDULE, week_post(rows))
        content = response.content.decode()
        assert response.status_code == 400 and f'id="id_day2-{row}-{field}-errors"' in content
        assert f'aria-describedby="id_day2-{row}-{field}-errors"' in content
        assert self.ranges(cleaner) == [(4, 600, 720)]  # the week as it was

    def test_adding_rows_saves_nothing(self, client, cleaner):
        response = client.post(SCHEDULE, week_post({3: [("09:00", "10:00")]}, add_rows="1"))
        content = response.content.decode()
        assert response.status_code == 200 and 'name="day3-2-start"' in content and 'name="day0-1-start"' in content
        assert 'name="day3-0-start"' in content and '<option value="09:00" selected>' in content
        assert not self.ranges(cleaner)


class TestAvailability:
    def test_plain_post_and_htmx(self, client):
        profile = CleanerProfileFactory(is_available=True)
        signed_in(client, profile.user)
        url = reverse("marketplace:cleaner_availability")
        response = client.post(url, {"is_available": "false"}, follow=True)
        profile.refresh_from_db()
        assert not profile.is_available and notices.AVAILABLE_OFF in response.content.decode()
        partial = client.post(url, {"is_available": "true"}, HTTP_HX_REQUEST="true").content.decode()
        profile.refresh_from_db()
        assert profile.is_available and partial.startswith('<div id="availability">')
        assert 'name="is_available" value="false"' in partial  # the next press pauses

    def test_without_a_profile_the_cleaner_is_sent_to_create_it(self, client):
        signed_in(client, CleanerFactory())
        assert client.post(reverse("marketplace:cleaner_availability"), {"is_available": "true"})["Location"] == PROFILE_FORM
