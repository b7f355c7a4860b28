"""The demo data's clock (cleanit.demo): what a step stamps is moved to the step's moment, what is
written between steps or given by the caller stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cleanit.demo import happened_at, story
from marketplace.tests.factories import UserFactory
from notifications.models import Notification
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

WITHIN_A_STEP = timedelta(seconds=5)


def test_each_step_of_a_story_is_moved_to_its_own_moment_and_writes_between_steps_stay():
    user = UserFactory()
    earlier = NotificationFactory(user=user, title="before the story")
    first, second = timezone.now() - timedelta(days=30), timezone.now() - timedelta(days=3)
    with story() as step:
        with step(first):
            one = NotificationFactory(user=user, title="step one")
        between = NotificationFactory(user=user, title="between the steps")
        with step(second):
            two = NotificationFactory(user=user, title="step two")
            Notification.objects.filter(pk=earlier.pk).update(title="changed in step two", updated_at=timezone.now())
        assert Notification.objects.get(pk=one.pk).created_at == one.created_at  # moved only when the story ends
    stored = {n.pk: n for n in Notification.objects.all()}
    assert abs(stored[one.pk].created_at - first) < WITHIN_A_STEP
    assert abs(stored[two.pk].created_at - second) < WITHIN_A_STEP
    assert stored[between.pk].created_at == between.created_at
    assert stored[earlier.pk].created_at == earlier.created_at
    assert abs(stored[earlier.pk].updated_at - second) < WITHIN_A_STEP


def test_a_step_keeps_the_order_of_its_writes_and_leaves_times_given_by_the_caller():
    user = UserFactory()
    moment = timezone.now() - timedelta(days=10)
    given = timezone.now() - timedelta(days=40)
    with happened_at(moment):
        first = NotificationFactory(user=user, title="first")
        second = NotificationFactory(user=user, title="second", read_at=given, is_read=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert moment <= first.created_at <= second.created_at < moment + WITHIN_A_STEP
    assert second.read_at == given


def test_back_to_back_steps_each_move_their_own_writes():
    """Steps that take less than a millisecond: a write is never taken for the next step's."""
    moments = [timezone.now() - timedelta(days=days) for days in (9, 8, 7)]
    user = UserFactory()
    with story() as step:
        made = []
        for moment in moments:
            with step(moment):
                made.append(NotificationFactory(user=user))
    for notification, moment in zip(made, moments):
        notification.refresh_from_db()
        assert abs(notification.created_at - moment) < WITHIN_A_STEP
