import factory
from django.utils import timezone

from marketplace.models import CleanerProfile, Role, ScheduleRange, ServicePackage, User
from marketplace.services.packages import min_active_price_refresh

PASSWORD = "Str0ng!Pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.in")
    name = factory.Faker("name", locale="en_IN")
    phone = factory.Sequence(lambda n: f"+9198{n:08d}")
    role = Role.CUSTOMER
    terms_version = "2026-01"
    terms_accepted_at = factory.LazyFunction(timezone.now)
    email_verified_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class CleanerFactory(UserFactory):
    role = Role.CLEANER


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class CleanerProfileFactory(factory.django.DjangoModelFactory):
    """A complete profile in Bengaluru (no packages: add a ServicePackageFactory to list it in searches)."""

    class Meta:
        model = CleanerProfile

    user = factory.SubFactory(CleanerFactory)
    bio = "Careful, punctual home cleaner."
    experience_years = 4
    hourly_rate = 300_00
    street = factory.Sequence(lambda n: f"{n} 5th Cross, Indiranagar")
    city = "Bengaluru"
    state = "Karnataka"
    pincode = "560038"
    latitude = 12.9716
    longitude = 77.5946


class ServicePackageFactory(factory.django.DjangoModelFactory):
    """An active package; created through the model, so the profile's "from" price is refreshed here."""

    class Meta:
        model = ServicePackage
        skip_postgeneration_save = True

    cleaner = factory.SubFactory(CleanerProfileFactory)
    name = factory.Sequence(lambda n: f"Home clean {n}")
    description = "Sweeping, mopping, dusting and kitchen surfaces."
    price = 800_00
    duration_minutes = 120
    service_type = ServicePackage.ServiceType.BASIC_CLEAN
    is_active = True

    @factory.post_generation
    def refresh_from_price(obj, create, extracted, **kwargs):
        if create:
            min_active_price_refresh(obj.cleaner)


class ScheduleRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleRange

    profile = factory.SubFactory(CleanerProfileFactory)
    weekday = 0
    start_minute = 9 * 60
    end_minute = 17 * 60
