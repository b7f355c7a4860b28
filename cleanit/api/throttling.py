"""Per-IP rate limits for the API and for the sign-in family of actions, set by
API_RATE_LIMIT_PER_MINUTE and AUTH_RATE_LIMIT_PER_15_MINUTES (0 switches a limit off).

The counters live in the cache, so with Redis they hold across processes. The same throttle
guards the pages (login, sign-up, password forms) through :func:`auth_throttle_wait`: a page
login and an API login count against one budget."""

from __future__ import annotations

import math
from types import SimpleNamespace

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _IpThrottle(SimpleRateThrottle):
    setting_name = ""
    window_seconds = 60

    def get_rate(self):
        limit = getattr(settings, self.setting_name)
        return f"{limit}/{self.window_seconds}s" if limit > 0 else None

    def parse_rate(self, rate):
        if rate is None:
            return None, None
        return int(rate.split("/")[0]), self.window_seconds


class ApiRateThrottle(_IpThrottle):
    """Every API request, per client IP."""

    scope = "api"
    setting_name = "API_RATE_LIMIT_PER_MINUTE"
    window_seconds = 60

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AuthRateThrottle(_IpThrottle):
    """POSTs to login, register, forgot-password and reset-password, per action and client IP.
    The view names its action in ``auth_throttle_action``."""

    scope = "auth"
    setting_name = "AUTH_RATE_LIMIT_PER_15_MINUTES"
    window_seconds = 15 * 60

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        action = getattr(view, "auth_throttle_action", "auth")
        return self.cache_format % {"scope": f"auth-{action}", "ident": self.get_ident(request)}


def auth_throttle_wait(request, action: str) -> int | None:
    """For pages: count this POST against ``action``; return seconds to wait if over the limit."""
    throttle = AuthRateThrottle()
    if throttle.allow_request(request, SimpleNamespace(auth_throttle_action=action)):
        return None
    return max(1, math.ceil(throttle.wait() or 1))
