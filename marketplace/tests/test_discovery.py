"""Finding cleaners: each filter and sort is shown by data a wrong implementation would get wrong (9.9 km in
and 10.1 km out of a 10 km radius, on the box's axes and its diagonals; ties in rating; inactive packages;
suspended, deleted and unlisted cleaners), bad query input is a 400, and a search costs the same number of
queries whatever the page size."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace import notices, selectors, services
from marketplace.models import CleanerKYC, CleanerProfile
from marketplace.tests.cleaners import api, envelope
from marketplace.tests.factories import CleanerProfileFactory, ServicePackageFactory
from tests.geo import CENTRE, EAST, NORTH, NORTH_EAST, SOUTH_WEST, point_at

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/cleaners/"


def listed(**profile_fields) -> CleanerProfile:
    """A cleaner with one active basic package: listed in searches."""
    package = ServicePackageFactory(cleaner=CleanerProfileFactory(**profile_fields))
    return package.cleaner


def at(km: float, bearing: float, **fields) -> CleanerProfile:
    latitude, longitude = point_at(CENTRE, km, bearing)
    return listed(latitude=latitude, longitude=longitude, **fields)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def search(**params) -> list[str]:
    return ids(api().get(SEARCH, params))


def names(profiles) -> list[str]:
    return [str(profile.pk) for profile in profiles]


class TestDistance:
    def test_radius_is_exact_on_the_axes_and_the_diagonals(self):
        inside = [at(9.9, bearing) for bearing in (NORTH, EAST, NORTH_EAST, SOUTH_WEST)]
        for bearing in (NORTH, EAST, NORTH_EAST, SOUTH_WEST):
            at(10.1, bearing)
        found = search(lat=CENTRE[0], lng=CENTRE[1], radius_km=10, page_size=50)
        assert sorted(found) == sorted(names(inside))

    def test_distance_km_and_nearest_first(self):
        far, near, middle = at(8, EAST), at(1.5, NORTH), at(4.25, SOUTH_WEST)
        response = api().get(SEARCH, {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 10, "sort": "distance"})
        assert ids(response) == names([near, middle, far])
        assert [item["distance_km"] for item in response.json()["results"]] == pytest.approx([1.5, 4.25, 8], abs=0.01)

    def test_a_point_without_sort_is_nearest_first_and_rating_sort_still_applies(self):
        near, far = at(1, NORTH, rating_avg=3.5, rating_count=2), at(5, NORTH, rating_avg=4.9, rating_count=2)
        point = {"lat": CENTRE[0], "lng": CENTRE[1]}
        assert search(**point) == names([near, far])
        assert search(**point, sort="rating") == names([far, near])

    def test_default_radius_is_ten_km(self):
        inside = at(9.9, EAST)
        at(10.1, EAST)
        assert search(lat=CENTRE[0], lng=CENTRE[1]) == names([inside])

    def test_without_a_point_there_is_no_distance(self):
        listed()
        assert api().get(SEARCH).json()["results"][0]["distance_km"] is None


class TestFilters:
    def test_city_any_case_but_whole_name(self):
        bengaluru = listed(city="Bengaluru")
        listed(city="Mumbai")
        navi = listed(city="Navi Mumbai")
        assert search(city="  BENGALURU ") == names([bengaluru])
        assert search(city="navi mumbai") == names([navi])

    def test_available(self):
        available = listed()
        unavailable = listed(is_available=False)
        assert search(available="true") == names([available])
        assert sorted(search(available="false")) == sorted(names([available, unavailable]))

    def test_min_rating_includes_the_limit(self):
        exactly, above = listed(rating_avg=4.0, rating_count=3), listed(rating_avg=4.6, rating_count=3)
        listed(rating_avg=3.99, rating_count=3)
        assert search(min_rating=4) == names([above, exactly])

    def test_max_rate_in_paise_includes_the_limit(self):
        cheap, exactly = listed(hourly_rate=250_00), listed(hourly_rate=300_00)
        dearest = listed(hourly_rate=300_01)
        assert sorted(search(max_rate=300_00)) == sorted(names([cheap, exactly]))
        assert len(search(max_rate=10 ** 30)) == 3 and str(dearest.pk) in search(max_rate=10 ** 30)

    def test_service_type_needs_an_active_package_of_that_type(self):
        deep = listed()
        ServicePackageFactory(cleaner=deep, service_type="deep_clean")
        retired = listed()
        ServicePackageFactory(cleaner=retired, service_type="deep_clean", is_active=False)
        assert search(service_type="deep_clean") == names([deep])

    def test_every_word_in_the_name_or_the_bio(self):
        both = listed(user__name="Priya Nair", bio="Bathroom tiles and grout.")
        listed(user__name="Priya Menon", bio="Kitchens.")
        listed(user__name="Rahul Das", bio="Tiles, floors.")
        across = listed(user__name="Anil Kumar", bio="Priya's favourite for tiles.")
        assert sorted(search(q="priya TILES")) == sorted(names([both, across]))

    def test_filters_combine(self):
        match = at(2, NORTH, hourly_rate=200_00, rating_avg=4.5, rating_count=1)
        at(2, NORTH, hourly_rate=900_00, rating_avg=4.5, rating_count=1)
        at(2, NORTH, hourly_rate=200_00, rating_avg=3.0, rating_count=1)
        at(20, NORTH, hourly_rate=200_00, rating_avg=4.5, rating_count=1)
        assert search(lat=CENTRE[0], lng=CENTRE[1], radius_km=5, max_rate=300_00, min_rating=4, city="bengaluru",
                      available="true") == names([match])


class TestWhoIsListed:
    def test_suspended_deleted_and_cleaners_without_an_active_package_never_appear(self):
        shown = listed()
        suspended, deleted = listed(), listed()
        services.user_suspend(user=suspended.user, reason="Complaints")
        services.user_delete_account(user=deleted.user, password="Str0ng!Pass")
        ServicePackageFactory(cleaner=CleanerProfileFactory(), is_active=False)
        CleanerProfileFactory()
        assert search() == names([shown])
        assert search(lat=CENTRE[0], lng=CENTRE[1], radius_km=50) == names([shown])

    def test_the_listing_follows_every_change_to_the_account_and_the_packages(self):
        profile = CleanerProfileFactory()
        assert search() == []
        package = services.package_create(user=profile.user, name="Home clean", price=900_00, duration_hours=2,
                                          service_type="basic_clean")
        assert search() == names([profile])
        services.user_suspend(user=profile.user, reason="Complaints")
        assert search() == []
        services.user_reactivate(user=profile.user)
        assert search() == names([profile])
        services.package_update(user=profile.user, package_id=package.pk, is_active=False)
        assert search() == []
        services.package_update(user=profile.user, package_id=package.pk, is_active=True)
        services.package_delete(user=profile.user, package_id=package.pk)
        assert search() == []
        profile.refresh_from_db()
        assert profile.listed is False and profile.min_active_price is None

    def test_the_flag_means_what_it_stands_for(self):
        """listed = an active, unsuspended, undeleted account with an active package, for every profile."""
        shown, suspended, deleted, bare = listed(), listed(), listed(), CleanerProfileFactory()
        services.user_suspend(user=suspended.user, reason="Complaints")
        services.user_delete_account(user=deleted.user, password="Str0ng!Pass")
        for profile in CleanerProfile.objects.select_related("user"):
            user = profile.user
            expected = (user.is_active and user.suspended_at is None and user.deleted_at is None
                        and profile.services.filter(is_active=True).exists())
            assert profile.listed is expected, profile
        assert {shown.pk} == set(CleanerProfile.objects.filter(listed=True).values_list("pk", flat=True))
        assert bare.listed is False

    def test_a_suspended_cleaners_profile_and_lists_are_not_found(self):
        profile = listed()
        services.user_suspend(user=profile.user, reason="Complaints")
        for path in ("", "/services", "/reviews"):
            response = api().get(f"/api/v1/cleaners/{profile.pk}{path}")
            assert response.status_code == 404 and envelope(response)["code"] == "cleaner_not_found"


class TestSorts:
    def test_rating_then_count_then_id(self):
        # Ids chosen against the expected order: a sort that skipped the count would put low_count first.
        low_count = listed(id=uuid.UUID(int=1), rating_avg=4.5, rating_count=10)
        high_count = listed(id=uuid.UUID(int=2 ** 128 - 1), rating_avg=4.5, rating_count=20)
        best = listed(rating_avg=4.8, rating_count=1)
        twins = [listed(id=uuid.UUID(int=5), rating_avg=4.0, rating_count=5),
                 listed(id=uuid.UUID(int=4), rating_avg=4.0, rating_count=5)][::-1]
        expected = names([best, high_count, low_count, *twins])
        assert search(sort="rating") == expected and search() == expected
        assert search(sort="rating", lat=CENTRE[0], lng=CENTRE[1]) == expected

    def test_price_is_the_hourly_rate_lowest_first(self):
        dear, cheap, middle = listed(hourly_rate=900_00), listed(hourly_rate=150_00), listed(hourly_rate=400_00)
        assert search(sort="price") == names([cheap, middle, dear])
        assert search(sort="price", lat=CENTRE[0], lng=CENTRE[1]) == names([cheap, middle, dear])


class TestResults:
    def test_a_result_card(self):
        profile = listed(rating_avg=4.25, rating_count=8, hourly_rate=320_00)
        ServicePackageFactory(cleaner=profile, price=1_500_00, name="Deep")
        ServicePackageFactory(cleaner=profile, price=100_00, is_active=False)
        CleanerKYC.objects.create(user=profile.user, id_type="pan", id_number_encrypted="x", id_number_masked="x",
                                  account_holder_name="A B", payout_method="upi", status="verified",
                                  submitted_at=timezone.now())
        item = api().get(SEARCH).json()["results"][0]
        assert item["verified"] is True and item["rating_avg"] == 4.25 and item["rating_count"] == 8
        assert item["hourly_rate"] == 320_00 and item["from_price"] == 800_00
        assert [service["price"] for service in item["services"]] == [800_00, 1_500_00]
        assert item["name"] == profile.user.name and "street" not in item

    def test_pages(self):
        for _ in range(7):
            listed()
        body = api().get(SEARCH, {"page_size": 5, "page": 2}).json()
        assert body["count"] == 7 and len(body["results"]) == 2 and body["previous"] and body["next"] is None
        body = api().get(SEARCH, {"page_size": 5, "lat": CENTRE[0], "lng": CENTRE[1]}).json()
        assert body["count"] == 7 and len(body["results"]) == 5 and body["next"]

    def test_cities_of_listed_cleaners(self):
        listed(city="Pune")
        listed(city="pune")
        listed(city="Chennai")
        CleanerProfileFactory(city="Kolkata")
        assert selectors.cleaner_cities() == ["Chennai", "Pune"]
        listed(city="Agra")
        assert selectors.cleaner_cities() == ["Chennai", "Pune"]  # the suggestions are cached a while
        assert selectors.cleaner_cities(fresh=True) == ["Agra", "Chennai", "Pune"]


class TestBadInput:
    @pytest.mark.parametrize("params,field,message", [
        ({"lat": 12.9}, "lng", None), ({"lat": "north", "lng": 77.6}, "lat", None),
        ({"lat": 51.5, "lng": -0.1}, "lat", None), ({"lat": 12.9, "lng": 77.6, "radius_km": 0}, "radius_km", None),
        ({"lat": 12.9, "lng": 77.6, "radius_km": 101}, "radius_km", None), ({"sort": "distance"}, "sort", None),
        ({"sort": "cheapest"}, "sort", notices.sort_invalid()), ({"available": "maybe"}, "available", None),
        ({"min_rating": 6}, "min_rating", notices.min_rating_range()), ({"min_rating": "high"}, "min_rating", None),
        ({"max_rate": "abc"}, "max_rate", notices.MAX_RATE_INVALID), ({"max_rate": 0}, "max_rate", None),
        ({"max_rate": -5}, "max_rate", None), ({"service_type": "windows"}, "service_type", None),
        ({"page": "x"}, None, None), ({"page_size": "lots", "page": 99}, None, None),
    ])
    def test_is_a_400_or_404_naming_the_field(self, params, field, message):
        listed()
        response = api().get(SEARCH, params)
        if field is None:  # pagination: DRF's invalid page
            assert response.status_code == 404 and envelope(response)["code"] == "not_found"
            return
        assert response.status_code == 400
        fields = envelope(response)["fields"]
        assert field in fields and (message is None or fields[field] == [message])


class TestQueryCount:
    @pytest.mark.parametrize("params", [
        {}, {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 50},
        {"city": "bengaluru", "service_type": "deep_clean", "q": "careful", "min_rating": 3, "sort": "price"},
        {"lat": CENTRE[0], "lng": CENTRE[1], "radius_km": 50, "service_type": "deep_clean", "q": "careful"},
    ], ids=["no point", "from a point", "filters", "filters from a point"])
    def test_the_same_whatever_the_page_size(self, params):
        for index in range(55):
            profile = at(1 + index * 0.5, NORTH_EAST, rating_avg=3 + (index % 20) / 10)
            ServicePackageFactory(cleaner=profile, service_type="deep_clean")
        counts = {}
        for size in (5, 50):
            with CaptureQueriesContext(connection) as queries:
                response = api().get(SEARCH, {**params, "page_size": size})
            assert len(response.json()["results"]) == size
            assert all(len(item["services"]) == 2 for item in response.json()["results"])
            counts[size] = len(queries)
        # the count, the page's keys in order, their rows (user and KYC joined), their services
        assert counts[5] == counts[50] <= 4, counts
