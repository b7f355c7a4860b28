"""cleanit.db.only_match: the one row of a key lookup without first()'s ORDER BY; get_by_id uses it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cleanit import errors
from cleanit.db import get_by_id, only_match
from marketplace.models import User
from marketplace.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_one_match_without_an_order_by_or_none():
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        assert only_match(User.objects.filter(pk=user.pk)) == user
        assert only_match(User.objects.filter(email="nobody@example.com")) is None
    assert len(queries) == 2 and not any("ORDER BY" in q["sql"] for q in queries.captured_queries)
    assert all("LIMIT 1" in q["sql"] for q in queries.captured_queries)


def test_get_by_id_finds_or_answers_not_found():
    user = UserFactory()
    assert get_by_id(User.objects.all(), str(user.pk), not_found="No such user.") == user
    for unknown in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", None):
        with pytest.raises(errors.NotFound):
            get_by_id(User.objects.all(), unknown, not_found="No such user.")
