import factory
from django.utils import timezone

from marketplace.models import Role, User

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
