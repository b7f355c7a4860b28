"""Real concurrency against live_server (threads, file SQLite in WAL mode)."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from marketplace.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_one_refresh_token_used_by_ten_clients_at_once_rotates_once(live_server):
    user = UserFactory()
    from marketplace.services import auth_issue_tokens

    refresh = auth_issue_tokens(user=user).refresh
    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(lambda _: post(f"{live_server.url}/api/v1/auth/refresh", {"refresh": refresh}),
                              range(10)))
    assert sorted(codes) == [200] + [401] * 9


def test_concurrent_failed_logins_lock_exactly_at_the_threshold(live_server):
    user = UserFactory()
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda _: post(f"{live_server.url}/api/v1/auth/login",
                                             {"email": user.email, "password": "Wrong!Pass1"}), range(8)))
    assert set(codes) <= {401, 423} and 423 in codes and 500 not in codes
    user.refresh_from_db()
    assert user.locked_until is not None
    assert post(f"{live_server.url}/api/v1/auth/login", {"email": user.email, "password": PASSWORD}) == 423


def test_concurrent_sign_ups_with_one_email_create_one_account(live_server):
    from marketplace.models import User

    body = {"email": "race@example.in", "password": PASSWORD, "phone": "9876543210", "name": "Race",
            "role": "customer", "accept_terms": True}
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda _: post(f"{live_server.url}/api/v1/auth/register", body), range(8)))
    assert sorted(codes) == [201] + [400] * 7
    assert User.objects.filter(email="race@example.in").count() == 1
