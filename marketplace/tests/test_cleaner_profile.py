"""A cleaner's own profile, availability toggle and weekly schedule: every rule through the service and
the API, who may write (cleaners only, never suspended ones), and the rating helper for reviews."""

import pytest

from cleanit import errors
from marketplace import notices, rules, services
from marketplace.errors import AccountSuspended, NotACleaner, ProfileRequired
from marketplace.models import CleanerProfile, ScheduleRange
from marketplace.tests.cleaners import PROFILE, api, envelope
from marketplace.tests.factories import CleanerFactory, CleanerProfileFactory, ScheduleRangeFactory, UserFactory

pytestmark = pytest.mark.django_db
PROFILE_URL, AVAILABILITY_URL, SCHEDULE_URL = "/api/v1/cleaners/profile", "/api/v1/cleaners/availability", \
    "/api/v1/cleaners/schedule"


def field_errors(call) -> dict:
    with pytest.raises(errors.ValidationFailed) as exc:
        call()
    return exc.value.fields


class TestProfileSave:
    def test_creates_then_updates_only_the_fields_given(self):
        cleaner = CleanerFactory()
        profile, created = services.profile_save(user=cleaner, **{**PROFILE, "city": "  navi   MUMBAI ",
                                                                  "pincode": "400 703"})
        assert created and profile.city == "navi MUMBAI" and profile.city_key == "navi mumbai"
        assert profile.pincode == "400703" and profile.is_available
        again, created = services.profile_save(user=cleaner, hourly_rate=400_00)
        assert not created and again.pk == profile.pk and again.hourly_rate == 400_00
        assert again.bio == PROFILE["bio"] and CleanerProfile.objects.count() == 1

    def test_creating_needs_every_field_but_the_bio(self):
        fields = field_errors(lambda: services.profile_save(user=CleanerFactory(), bio="Hello", hourly_rate=5))
        assert set(fields) == {"experience_years", "hourly_rate", "street", "city", "state", "pincode", "latitude",
                               "longitude"}
        assert fields["street"] == [notices.REQUIRED] and fields["hourly_rate"] == [notices.hourly_rate_range()]
        assert not CleanerProfile.objects.exists()

    @pytest.mark.parametrize("field,value,message", [
        ("bio", "x" * (rules.BIO_MAX + 1), notices.bio_too_long()),
        ("experience_years", -1, notices.experience_range()),
        ("experience_years", rules.EXPERIENCE_MAX_YEARS + 1, notices.experience_range()),
        ("experience_years", 2.5, notices.experience_range()),
        ("hourly_rate", rules.HOURLY_RATE_RANGE[0] - 1, notices.hourly_rate_range()),
        ("hourly_rate", rules.HOURLY_RATE_RANGE[1] + 1, notices.hourly_rate_range()),
        ("hourly_rate", True, notices.hourly_rate_range()),
        ("pincode", "056003", notices.PINCODE_INVALID), ("pincode", "56003", notices.PINCODE_INVALID),
        ("pincode", "5600381", notices.PINCODE_INVALID), ("pincode", "56OO38", notices.PINCODE_INVALID),
        ("latitude", 51.5, notices.LOCATION_OUTSIDE_INDIA), ("longitude", -0.12, notices.LOCATION_OUTSIDE_INDIA),
        ("latitude", float("nan"), notices.LOCATION_OUTSIDE_INDIA),
        ("street", "   ", notices.text_required(rules.STREET_MAX)),
        ("city", "c" * (rules.CITY_MAX + 1), notices.text_required(rules.CITY_MAX)),
    ])
    def test_each_rule(self, field, value, message):
        assert field_errors(lambda: services.profile_save(user=CleanerFactory(), **{**PROFILE, field: value})) \
            == {field: [message]}

    @pytest.mark.parametrize("field,value", [("bio", "x" * rules.BIO_MAX), ("experience_years", 0),
                                             ("experience_years", rules.EXPERIENCE_MAX_YEARS),
                                             ("hourly_rate", rules.HOURLY_RATE_RANGE[0]),
                                             ("hourly_rate", rules.HOURLY_RATE_RANGE[1]), ("pincode", "110001"),
                                             ("latitude", 8.0883), ("longitude", 94.0)])
    def test_the_limits_themselves_are_accepted(self, field, value):
        profile, _ = services.profile_save(user=CleanerFactory(), **{**PROFILE, field: value})
        assert getattr(profile, field) == value

    def test_an_update_is_checked_by_the_same_rules(self):
        profile = CleanerProfileFactory()
        assert field_errors(lambda: services.profile_save(user=profile.user, latitude=40.7)) == {
            "latitude": [notices.LOCATION_OUTSIDE_INDIA]}
        profile.refresh_from_db()
        assert profile.latitude == 12.9716

    def test_only_active_cleaners(self):
        with pytest.raises(NotACleaner):
            services.profile_save(user=UserFactory(), **PROFILE)
        profile = CleanerProfileFactory()
        services.user_suspend(user=profile.user, reason="Complaints")
        with pytest.raises(AccountSuspended):
            services.profile_save(user=profile.user, bio="Back again")
        with pytest.raises(AccountSuspended):
            services.availability_set(user=profile.user, is_available=True)


class TestProfileApi:
    def test_create_201_then_update_200_owner_sees_private_fields(self):
        cleaner = CleanerFactory()
        client = api(cleaner)
        response = client.post(PROFILE_URL, PROFILE, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["user_id"] == str(cleaner.pk) and body["name"] == cleaner.name
        assert body["street"] == PROFILE["street"] and body["pincode"] == "560038" and body["listed"] is False
        assert body["average_response_minutes"] is None and body["cancellation_rate"] is None
        response = client.post(PROFILE_URL, {"bio": ""}, format="json")
        assert response.status_code == 200 and response.json()["bio"] == ""
        assert client.get(PROFILE_URL).json()["id"] == body["id"]

    def test_public_profile_hides_street_and_pincode(self):
        profile = CleanerProfileFactory()
        body = api().get(f"/api/v1/cleaners/{profile.pk}").json()
        assert body["city"] == "Bengaluru" and "street" not in body and "pincode" not in body

    def test_rule_errors_in_the_envelope(self):
        response = api(CleanerFactory()).post(PROFILE_URL, {**PROFILE, "pincode": "012345", "latitude": 48.85},
                                              format="json")
        assert response.status_code == 400
        assert envelope(response)["fields"] == {"pincode": [notices.PINCODE_INVALID],
                                                "latitude": [notices.LOCATION_OUTSIDE_INDIA]}

    def test_who_may(self):
        assert api().post(PROFILE_URL, PROFILE, format="json").status_code == 401
        response = api(UserFactory()).post(PROFILE_URL, PROFILE, format="json")
        assert response.status_code == 403 and envelope(response)["code"] == "not_a_cleaner"
        response = api(CleanerFactory()).get(PROFILE_URL)
        assert response.status_code == 404 and envelope(response)["code"] == ProfileRequired.code

    def test_a_suspended_cleaner_cannot_edit(self):
        profile = CleanerProfileFactory()
        client = api(profile.user)
        services.user_suspend(user=profile.user, reason="Complaints")
        assert client.post(PROFILE_URL, {"bio": "Still here"}, format="json").status_code == 401
        profile.refresh_from_db()
        assert profile.bio != "Still here"


class TestAvailability:
    def test_toggle(self):
        profile = CleanerProfileFactory()
        response = api(profile.user).patch(AVAILABILITY_URL, {"is_available": False}, format="json")
        assert response.status_code == 200 and response.json()["is_available"] is False
        profile.refresh_from_db()
        assert profile.is_available is False
        services.availability_set(user=profile.user, is_available=True)
        profile.refresh_from_db()
        assert profile.is_available is True

    def test_needs_a_profile_and_a_yes_or_no(self):
        response = api(CleanerFactory()).patch(AVAILABILITY_URL, {"is_available": True}, format="json")
        assert response.status_code == 404 and envelope(response)["code"] == "profile_required"
        profile = CleanerProfileFactory()
        response = api(profile.user).patch(AVAILABILITY_URL, {"is_available": "maybe"}, format="json")
        assert response.status_code == 400 and "is_available" in envelope(response)["fields"]
        assert field_errors(lambda: services.availability_set(user=profile.user, is_available="no")) == {
            "is_available": [notices.NOT_A_YES_NO]}


def week(*ranges):
    return [{"weekday": day, "start": start, "end": end} for day, start, end in ranges]


class TestSchedule:
    def test_replaces_the_whole_week(self):
        profile = CleanerProfileFactory()
        ScheduleRangeFactory(profile=profile, weekday=3)
        saved = services.schedule_set(user=profile.user, ranges=week((0, "14:00", "18:00"), (0, "08:00", "12:00"),
                                                                     (6, "20:00", "24:00")))
        assert [(r.weekday, r.start_minute, r.end_minute) for r in saved] == [(0, 480, 720), (0, 840, 1080),
                                                                              (6, 1200, 1440)]
        assert not ScheduleRange.objects.filter(profile=profile, weekday=3).exists()
        assert services.schedule_set(user=profile.user, ranges=[]) == []

    def test_touching_ranges_do_not_overlap(self):
        profile = CleanerProfileFactory()
        assert len(services.schedule_set(user=profile.user, ranges=week((1, "09:00", "12:00"),
                                                                        (1, "12:00", "15:00")))) == 2

    @pytest.mark.parametrize("ranges,expected", [
        (week((0, "09:00", "12:00"), (0, "11:30", "13:00")), {"ranges.1.start": [notices.overlaps(0, 540, 720)]}),
        (week((2, "10:00", "11:00"), (2, "09:00", "17:00")), {"ranges.0.start": [notices.overlaps(2, 540, 1020)]}),
        (week((0, "09:15", "12:00")), {"ranges.0.start": [notices.time_off_grid()]}),
        (week((0, "09:00", "12:45")), {"ranges.0.end": [notices.time_off_grid()]}),
        (week((0, "12:00", "09:00")), {"ranges.0.end": [notices.END_BEFORE_START]}),
        (week((0, "12:00", "12:00")), {"ranges.0.end": [notices.END_BEFORE_START]}),
        (week((0, "9am", "25:00")), {"ranges.0.start": [notices.TIME_INVALID], "ranges.0.end": [notices.TIME_INVALID]}),
        (week((7, "09:00", "10:00")), {"ranges.0.weekday": [notices.WEEKDAY_INVALID]}),
        (week((-1, "09:00", "10:00")), {"ranges.0.weekday": [notices.WEEKDAY_INVALID]}),
        (week((0, "24:00", "24:00")), {"ranges.0.start": [notices.TIME_INVALID]}),
    ])
    def test_each_rule_names_the_range(self, ranges, expected):
        profile = CleanerProfileFactory()
        ScheduleRangeFactory(profile=profile)
        assert field_errors(lambda: services.schedule_set(user=profile.user, ranges=ranges)) == expected
        assert ScheduleRange.objects.filter(profile=profile).count() == 1  # nothing replaced

    def test_a_good_range_beside_bad_ones_is_not_blamed(self):
        profile = CleanerProfileFactory()
        fields = field_errors(lambda: services.schedule_set(user=profile.user, ranges=week(
            (0, "09:00", "12:00"), (1, "10:10", "11:00"), (0, "13:00", "12:00"))))
        assert set(fields) == {"ranges.1.start", "ranges.2.end"}

    def test_api_put_and_get(self):
        profile = CleanerProfileFactory()
        client = api(profile.user)
        response = client.put(SCHEDULE_URL, {"ranges": week((4, "09:00", "13:30"))}, format="json")
        assert response.status_code == 200
        expected = {"ranges": [{"weekday": 4, "weekday_name": "Friday", "start": "09:00", "end": "13:30"}]}
        assert response.json() == expected and client.get(SCHEDULE_URL).json() == expected
        response = client.put(SCHEDULE_URL, {"ranges": week((4, "09:00", "13:30"), (4, "13:00", "15:00"))},
                              format="json")
        assert response.status_code == 400
        assert envelope(response)["fields"] == {"ranges.1.start": [notices.overlaps(4, 540, 810)]}
        assert api(UserFactory()).get(SCHEDULE_URL).status_code == 403


class TestRatingHelper:
    def test_total_count_and_average_move_together(self):
        profile = CleanerProfileFactory()
        for rating in (5, 4, 4):
            services.profile_rating_add(profile=profile, rating=rating)
        profile.refresh_from_db()
        assert (profile.rating_total, profile.rating_count) == (13, 3)
        assert profile.rating_avg == pytest.approx(13 / 3)

    @pytest.mark.parametrize("rating", [0, 6, 4.5, True])
    def test_refuses_what_is_not_a_rating(self, rating):
        with pytest.raises(ValueError):
            services.profile_rating_add(profile=CleanerProfileFactory(), rating=rating)


class TestPersonalData:
    def test_export_and_account_deletion(self):
        profile = CleanerProfileFactory()
        ScheduleRangeFactory(profile=profile, weekday=2, start_minute=600, end_minute=780)
        export = api(profile.user).get("/api/v1/users/me/data-export").json()["cleaner_profile"]
        assert export["street"] == profile.street and export["schedule"] == [
            {"weekday": 2, "start": "10:00", "end": "13:00"}]
        services.user_delete_account(user=profile.user, password="Str0ng!Pass")
        profile.refresh_from_db()
        assert profile.street == "" and profile.bio == "" and profile.is_available is False
        assert api().get(f"/api/v1/cleaners/{profile.pk}").status_code == 404
