import factory

from marketplace.tests.factories import UserFactory
from notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    category = "account"
    event = "account.welcome"
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Hello"
