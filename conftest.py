import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_configure(config):
    # live_server's listen backlog is 10; race tests open dozens of connections at the same instant
    # (gunicorn, in production, queues 2048). Without this the kernel resets the overflow.
    from django.core.servers import basehttp

    basehttp.WSGIServer.request_queue_size = 256


@pytest.fixture(autouse=True)
def _clean_cache_and_media(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def user(db):
    from marketplace.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def auth_client(user):
    """An API client with a bearer access token for ``user``."""
    from rest_framework.test import APIClient

    from marketplace.services import auth_issue_tokens

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {auth_issue_tokens(user=user).access}")
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (make test does).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }
