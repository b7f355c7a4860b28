"""Free slots at the edges: a range that ends exactly when the service would, 30-minute steps, today after
17:00 IST, IST day boundaries (the UTC date differs from 18:30 to 24:00 UTC), the 60-day horizon, days
without a schedule, unavailable cleaners, the service asked for, and busy time from a registered provider
removing exactly the slots it overlaps."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from marketplace import hooks, notices, services
from marketplace.tests.cleaners import api, envelope
from marketplace.tests.factories import CleanerProfileFactory, ScheduleRangeFactory, ServicePackageFactory

pytestmark = pytest.mark.django_db
IST = ZoneInfo("Asia/Kolkata")
MONDAY = "2030-01-07"
SUNDAY_NOON = datetime(2030, 1, 6, 12, 0, tzinfo=IST)


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def service(*, hours: float = 2, ranges=(("09:00", "13:00"),), weekday: int = 0, **profile_fields):
    """An active service of a cleaner whose schedule on ``weekday`` is ``ranges``."""
    package = ServicePackageFactory(cleaner=CleanerProfileFactory(**profile_fields), duration_minutes=int(hours * 60))
    for start, end in ranges:
        ScheduleRangeFactory(profile=package.cleaner, weekday=weekday, start_minute=hm(start), end_minute=hm(end))
    return package


def slots(package, day: str = MONDAY, *, service_id=None):
    response = api().get(f"/api/v1/cleaners/{package.cleaner_id}/availability",
                         {"date": day, "service_id": service_id or package.pk})
    return response


def starts(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [slot["start"] for slot in response.json()["slots"]]


@pytest.fixture
def sunday_noon():
    with freeze_time(SUNDAY_NOON):
        yield


@pytest.fixture
def busy():
    """Busy intervals a fake bookings app reports, and the calls it received."""
    intervals, calls = [], []

    def provider(profile, start, end):
        calls.append((profile.pk, start, end))
        return list(intervals)

    hooks.register_busy_time(provider)
    yield intervals, calls
    hooks.busy_time.unregister(provider)


@pytest.mark.usefixtures("sunday_noon")
class TestArithmetic:
    def test_a_range_that_ends_exactly_when_the_service_would(self):
        response = slots(service(hours=2))
        assert starts(response) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
        assert response.json()["slots"][-1] == {"start": "11:00", "end": "13:00"}
        body = response.json()
        assert body["date"] == MONDAY and body["duration_hours"] == 2.0

    def test_thirty_minute_steps_for_a_service_of_an_hour_and_a_half(self):
        assert starts(slots(service(hours=1.5, ranges=(("09:00", "11:00"),)))) == ["09:00", "09:30"]

    def test_a_range_shorter_than_the_service_offers_nothing(self):
        assert starts(slots(service(hours=3, ranges=(("09:00", "11:30"),)))) == []

    def test_touching_ranges_are_one_stretch_separate_ones_are_not(self):
        assert starts(slots(service(hours=4, ranges=(("09:00", "12:00"), ("12:00", "15:00"))))) == [
            "09:00", "09:30", "10:00", "10:30", "11:00"]
        assert starts(slots(service(hours=2, ranges=(("09:00", "12:00"), ("13:00", "15:00"))))) == [
            "09:00", "09:30", "10:00", "13:00"]

    def test_a_range_to_midnight(self):
        response = slots(service(hours=1, ranges=(("22:00", "24:00"),)))
        assert response.json()["slots"] == [{"start": "22:00", "end": "23:00"}, {"start": "22:30", "end": "23:30"},
                                            {"start": "23:00", "end": "24:00"}]

    def test_only_that_weekdays_schedule(self):
        package = service(hours=1, ranges=(("09:00", "10:00"),), weekday=1)
        assert starts(slots(package)) == []
        assert starts(slots(package, "2030-01-08")) == ["09:00"]

    def test_an_unavailable_cleaner_has_none(self):
        package = service()
        services.availability_set(user=package.cleaner.user, is_available=False)
        assert starts(slots(package)) == []


class TestToday:
    def test_after_five_in_the_evening_ist(self):
        package = service(hours=2, ranges=(("09:00", "21:00"),))
        with freeze_time(datetime(2030, 1, 7, 17, 10, tzinfo=IST)):
            assert starts(slots(package)) == ["17:30", "18:00", "18:30", "19:00"]
        with freeze_time(datetime(2030, 1, 7, 17, 0, tzinfo=IST)):
            assert starts(slots(package))[0] == "17:00"
        with freeze_time(datetime(2030, 1, 7, 19, 0, 1, tzinfo=IST)):
            assert starts(slots(package)) == []

    def test_the_ist_date_not_the_utc_date(self):
        # 19:00 UTC on Monday 7 January is 00:30 IST on Tuesday 8 January.
        package = service(hours=1, ranges=(("00:00", "02:00"),), weekday=1)
        with freeze_time(datetime(2030, 1, 7, 19, 0, tzinfo=ZoneInfo("UTC"))):
            response = slots(package, MONDAY)
            assert response.status_code == 400 and envelope(response)["code"] == "date_out_of_range"
            assert starts(slots(package, "2030-01-08")) == ["00:30", "01:00"]
            assert slots(package, "2030-03-09").status_code == 200  # 8 January + 60 days
            assert slots(package, "2030-03-10").status_code == 400


@pytest.mark.usefixtures("sunday_noon")
class TestDates:
    def test_past_and_beyond_the_horizon(self):
        package = service()
        response = slots(package, "2030-01-05")
        assert response.status_code == 400
        assert envelope(response) == {"code": "date_out_of_range", "message": notices.DATE_IN_PAST,
                                      "fields": {"date": [notices.DATE_IN_PAST]}}
        last = (SUNDAY_NOON.date() + timedelta(days=60)).isoformat()
        assert slots(package, last).status_code == 200
        response = slots(package, (SUNDAY_NOON.date() + timedelta(days=61)).isoformat())
        assert response.status_code == 400 and envelope(response)["fields"] == {"date": [notices.date_too_far()]}

    def test_today_is_allowed(self):
        assert slots(service(weekday=6, ranges=(("13:00", "15:00"),)), "2030-01-06").status_code == 200

    @pytest.mark.parametrize("day", ["2030-13-01", "tomorrow", "", "07-01-2030"])
    def test_not_a_date(self, day):
        response = slots(service(), day)
        assert response.status_code == 400 and envelope(response)["fields"] == {"date": [notices.DATE_INVALID]}

    def test_a_day_with_no_schedule_is_empty(self):
        assert starts(slots(service(weekday=3))) == []


@pytest.mark.usefixtures("sunday_noon")
class TestService:
    def test_inactive_other_cleaners_unknown_and_malformed(self):
        package = service()
        retired = ServicePackageFactory(cleaner=package.cleaner, is_active=False)
        response = slots(package, service_id=retired.pk)
        assert response.status_code == 400 and envelope(response)["code"] == "service_inactive"
        response = slots(package, service_id=ServicePackageFactory().pk)
        assert response.status_code == 400 and envelope(response)["code"] == "service_not_offered"
        assert "service_id" in envelope(response)["fields"]
        response = slots(package, service_id="00000000-0000-0000-0000-000000000000")
        assert response.status_code == 404 and envelope(response)["code"] == "service_not_found"
        response = slots(package, service_id="not-a-uuid")
        assert response.status_code == 400 and envelope(response)["fields"] == {
            "service_id": [notices.SERVICE_ID_INVALID]}
        response = api().get(f"/api/v1/cleaners/{package.cleaner_id}/availability", {"date": MONDAY})
        assert response.status_code == 400 and "service_id" in envelope(response)["fields"]

    def test_unknown_cleaner(self):
        package = service()
        response = api().get("/api/v1/cleaners/00000000-0000-0000-0000-000000000000/availability",
                             {"date": MONDAY, "service_id": package.pk})
        assert response.status_code == 404 and envelope(response)["code"] == "cleaner_not_found"


@pytest.mark.usefixtures("sunday_noon")
class TestBusyTime:
    def test_a_busy_interval_removes_exactly_the_slots_it_overlaps(self, busy):
        intervals, calls = busy
        package = service(hours=1)
        assert starts(slots(package)) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"]
        intervals.append((datetime(2030, 1, 7, 10, 0, tzinfo=IST), datetime(2030, 1, 7, 11, 0, tzinfo=IST)))
        assert starts(slots(package)) == ["09:00", "11:00", "11:30", "12:00"]
        assert calls[-1] == (package.cleaner_id, datetime(2030, 1, 7, tzinfo=IST), datetime(2030, 1, 8, tzinfo=IST))

    def test_off_grid_utc_intervals_and_ones_across_midnight(self, busy):
        intervals, _ = busy
        package = service(hours=1)
        utc = ZoneInfo("UTC")
        # 10:15-10:45 IST, given in UTC; and a stretch from the night before until 09:30 IST.
        intervals += [(datetime(2030, 1, 7, 4, 45, tzinfo=utc), datetime(2030, 1, 7, 5, 15, tzinfo=utc)),
                      (datetime(2030, 1, 6, 22, 0, tzinfo=IST), datetime(2030, 1, 7, 9, 30, tzinfo=IST))]
        assert starts(slots(package)) == ["11:00", "11:30", "12:00"]
