"""Request id: taken from X-Request-ID when a proxy set a sane one, else generated; echoed in the
response and attached to every log record written while the request is handled."""

import logging
import math
import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class ApiRateLimitMiddleware:
    """API_RATE_LIMIT_PER_MINUTE per client IP over every /api/ request, counted before
    authentication and permissions (DRF's own throttles run after them, so anonymous floods
    of protected endpoints would go uncounted). 429 with Retry-After in the error envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            from cleanit.api.exceptions import error_body
            from cleanit.api.throttling import ApiRateThrottle

            throttle = ApiRateThrottle()
            if not throttle.allow_request(request, None):
                wait = max(1, math.ceil(throttle.wait() or 1))
                response = JsonResponse(
                    error_body("throttled", f"Request was throttled. Expected available in {wait} seconds."),
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
