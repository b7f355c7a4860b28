"""API paths answer with and without a trailing slash, and never redirect (a POST must not be)."""

import re

from django.urls import re_path

_PARAM = re.compile(r"<(?P<name>[a-z_]+)>")


def api_path(route: str, view, name: str | None = None):
    """``api_path("users/<user_id>", view)`` matches ``users/abc`` and ``users/abc/``."""
    regex = _PARAM.sub(lambda m: f"(?P<{m.group('name')}>[^/]+)", route.strip("/"))
    return re_path(rf"^{regex}/?$" if regex else r"^/?$", view, name=name)
