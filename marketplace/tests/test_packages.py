"""Service packages: the rules (name, description, price range, half-hour durations, type), only the owner
writes (another cleaner's package is 404, a customer is 403, a visitor 401), deleting one with bookings
deactivates it, and the profile's "from" price follows the active packages."""

import pytest

from cleanit import errors
from marketplace import hooks, notices, rules, services
from marketplace.errors import NotACleaner, ProfileRequired, ServiceNotFound
from marketplace.models import ServicePackage
from marketplace.tests.cleaners import PACKAGE, api, envelope
from marketplace.tests.factories import CleanerFactory, CleanerProfileFactory, ServicePackageFactory, UserFactory

pytestmark = pytest.mark.django_db
SERVICES_URL = "/api/v1/services"


def field_errors(call) -> dict:
    with pytest.raises(errors.ValidationFailed) as exc:
        call()
    return exc.value.fields


@pytest.fixture
def owner():
    return CleanerProfileFactory()


@pytest.fixture
def has_bookings():
    """Pretend the bookings app reports bookings for the packages in the returned set."""
    booked: set = set()

    def check(package):
        return package.pk in booked

    hooks.register_package_bookings_check(check)
    yield booked
    hooks.package_bookings.unregister(check)


class TestRules:
    def test_create(self, owner):
        package = services.package_create(user=owner.user, **{**PACKAGE, "name": "  Deep   clean ",
                                                               "duration_hours": 2.5})
        assert package.name == "Deep clean" and package.duration_minutes == 150 and package.is_active
        assert package.cleaner == owner

    def test_required_fields(self, owner):
        assert field_errors(lambda: services.package_create(user=owner.user, description="Only this")) == {
            name: [notices.REQUIRED] for name in ("name", "price", "duration_hours", "service_type")}

    @pytest.mark.parametrize("field,value,message", [
        ("name", "ab", notices.package_name_length()),
        ("name", "n" * (rules.PACKAGE_NAME_LENGTH[1] + 1), notices.package_name_length()),
        ("description", "d" * (rules.PACKAGE_DESCRIPTION_MAX + 1), notices.package_description_too_long()),
        ("price", rules.PACKAGE_PRICE_RANGE[0] - 1, notices.package_price_range()),
        ("price", rules.PACKAGE_PRICE_RANGE[1] + 1, notices.package_price_range()),
        ("price", 999.5, notices.package_price_range()),
        ("duration_hours", 0, notices.duration_range()), ("duration_hours", 0.25, notices.duration_range()),
        ("duration_hours", 1.75, notices.duration_range()), ("duration_hours", 12.5, notices.duration_range()),
        ("duration_hours", float("inf"), notices.duration_range()), ("duration_hours", "2", notices.duration_range()),
        ("duration_hours", True, notices.duration_range()),
        ("service_type", "window_clean", notices.CHOOSE_SERVICE_TYPE),
        ("is_active", "yes", notices.NOT_A_YES_NO),
    ])
    def test_each_rule(self, owner, field, value, message):
        assert field_errors(lambda: services.package_create(user=owner.user, **{**PACKAGE, field: value})) == {
            field: [message]}
        assert not ServicePackage.objects.exists()

    @pytest.mark.parametrize("hours,minutes", [(0.5, 30), (1, 60), (7.5, 450), (12, 720)])
    def test_half_hour_steps_up_to_twelve_hours(self, owner, hours, minutes):
        assert services.package_create(user=owner.user, **{**PACKAGE, "duration_hours": hours}).duration_minutes \
            == minutes

    @pytest.mark.parametrize("price", rules.PACKAGE_PRICE_RANGE)
    def test_price_limits_accepted(self, owner, price):
        assert services.package_create(user=owner.user, **{**PACKAGE, "price": price}).price == price

    def test_update_keeps_fields_left_out_and_applies_the_rules(self, owner):
        package = ServicePackageFactory(cleaner=owner, price=900_00)
        services.package_update(user=owner.user, package_id=package.pk, duration_hours=3)
        package.refresh_from_db()
        assert package.duration_minutes == 180 and package.price == 900_00
        assert field_errors(lambda: services.package_update(user=owner.user, package_id=package.pk, price=50)) == {
            "price": [notices.package_price_range()]}


class TestOwnership:
    def test_another_cleaners_package_is_not_found(self, owner):
        package = ServicePackageFactory(cleaner=owner)
        intruder = CleanerProfileFactory().user
        for call in (lambda: services.package_update(user=intruder, package_id=package.pk, price=100_00),
                     lambda: services.package_delete(user=intruder, package_id=package.pk)):
            with pytest.raises(ServiceNotFound):
                call()
        package.refresh_from_db()
        assert package.price == 800_00

    def test_api_other_cleaner_404_customer_403_visitor_401(self, owner):
        package = ServicePackageFactory(cleaner=owner)
        url = f"{SERVICES_URL}/{package.pk}"
        other = api(CleanerProfileFactory().user)
        for method in ("put", "patch", "delete"):
            response = getattr(other, method)(url, PACKAGE, format="json")
            assert response.status_code == 404 and envelope(response)["code"] == "service_not_found", method
            assert getattr(api(UserFactory()), method)(url, PACKAGE, format="json").status_code == 403
            assert getattr(api(), method)(url, PACKAGE, format="json").status_code == 401
        assert ServicePackage.objects.filter(pk=package.pk, price=800_00).exists()
        response = api(UserFactory()).post(SERVICES_URL, PACKAGE, format="json")
        assert response.status_code == 403 and envelope(response)["code"] == NotACleaner.code
        assert api().post(SERVICES_URL, PACKAGE, format="json").status_code == 401
        assert not ServicePackage.objects.exclude(pk=package.pk).exists()

    def test_a_cleaner_needs_a_profile_first(self):
        response = api(CleanerFactory()).post(SERVICES_URL, PACKAGE, format="json")
        assert response.status_code == 404 and envelope(response)["code"] == ProfileRequired.code

    def test_anyone_reads_a_package_of_a_visible_cleaner(self, owner):
        package = ServicePackageFactory(cleaner=owner, is_active=False)
        body = api().get(f"{SERVICES_URL}/{package.pk}").json()
        assert body["id"] == str(package.pk) and body["is_active"] is False and body["duration_hours"] == 2.0
        services.user_suspend(user=owner.user, reason="Fraud")
        assert api().get(f"{SERVICES_URL}/{package.pk}").status_code == 404
        assert api().get(f"{SERVICES_URL}/not-an-id").status_code == 404


class TestApi:
    def test_crud(self, owner):
        client = api(owner.user)
        response = client.post(SERVICES_URL, PACKAGE, format="json")
        assert response.status_code == 201
        created = response.json()
        assert created["price"] == PACKAGE["price"] and created["duration_hours"] == 4.0
        assert created["cleaner_id"] == str(owner.pk)
        url = f"{SERVICES_URL}/{created['id']}"
        response = client.patch(url, {"duration_hours": 1.5}, format="json")
        assert response.status_code == 200 and response.json()["duration_minutes"] == 90
        response = client.put(url, {"name": "Sofa shampoo", "price": 1_200_00, "duration_hours": 2,
                                    "service_type": "specialized"}, format="json")
        assert response.status_code == 200 and response.json()["service_type"] == "specialized"
        assert response.json()["description"] == PACKAGE["description"]
        response = client.put(url, {"name": "Only a name"}, format="json")
        assert response.status_code == 400 and set(envelope(response)["fields"]) == {
            "price", "duration_hours", "service_type"}
        assert [item["id"] for item in client.get(SERVICES_URL).json()["results"]] == [created["id"]]
        assert client.delete(url).status_code == 204
        assert not ServicePackage.objects.exists()

    def test_rule_errors_match_the_service(self, owner):
        response = api(owner.user).post(SERVICES_URL, {**PACKAGE, "duration_hours": 0.75, "price": 10}, format="json")
        assert response.status_code == 400
        assert envelope(response)["fields"] == {"duration_hours": [notices.duration_range()],
                                                "price": [notices.package_price_range()]}


class TestDeleteAndFromPrice:
    def test_deleting_a_package_with_bookings_deactivates_it(self, owner, has_bookings):
        kept, gone = ServicePackageFactory(cleaner=owner), ServicePackageFactory(cleaner=owner)
        has_bookings.add(kept.pk)
        response = api(owner.user).delete(f"{SERVICES_URL}/{kept.pk}")
        assert response.status_code == 200 and response.json()["is_active"] is False
        assert services.package_delete(user=owner.user, package_id=gone.pk)[0] == services.DELETED
        assert list(ServicePackage.objects.values_list("pk", "is_active")) == [(kept.pk, False)]

    def test_from_price_is_the_cheapest_active_package(self, owner, has_bookings):
        assert owner.min_active_price is None
        cheap = services.package_create(user=owner.user, **{**PACKAGE, "price": 500_00})
        services.package_create(user=owner.user, **{**PACKAGE, "price": 900_00})
        owner.refresh_from_db()
        assert owner.min_active_price == 500_00
        services.package_update(user=owner.user, package_id=cheap.pk, is_active=False)
        owner.refresh_from_db()
        assert owner.min_active_price == 900_00
        services.package_create(user=owner.user, **{**PACKAGE, "price": 100_00, "is_active": False})
        owner.refresh_from_db()
        assert owner.min_active_price == 900_00
        for package in ServicePackage.objects.filter(cleaner=owner, is_active=True):
            services.package_delete(user=owner.user, package_id=package.pk)
        owner.refresh_from_db()
        assert owner.min_active_price is None
