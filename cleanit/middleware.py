"""Cross-cutting middleware: the request id, the request size limit, and the per-IP rate limit over
the whole API."""

import math
import re
import uuid

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from cleanit.api.exceptions import error_body
from cleanit.api.throttling import ApiRateThrottle
from cleanit.request_id import set_request_id

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Take X-Request-ID when a proxy set a sane one, else generate one; echo it in the response
    and attach it to every log record written while the request is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware chain
        # returns, and those lines must carry the id too. The next request sets its own.
        set_request_id(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestSizeLimitMiddleware:
    """413 for a body over its limit, judged by Content-Length before anything reads it: the same
    answer whether DEBUG is on or off (Django's own check raises only once a view reads the body, and
    DRF's parsers read the stream without it). Uploads (multipart) have the larger limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.UPLOAD_BODY_MAX_BYTES if multipart else settings.REQUEST_BODY_MAX_BYTES
        if length > limit:
            message = f"The request body is too large (at most {limit // 1024:,} KB)."
            if request.path.startswith("/api/"):
                return JsonResponse(error_body("payload_too_large", message), status=413)
            return render(request, "errors/400.html", {"message": message}, status=413)
        return self.get_response(request)


class ApiRateLimitMiddleware:
    """API_RATE_LIMIT_PER_MINUTE per client IP over every /api/ request, counted before
    authentication and permissions (DRF's own throttles run after them, so anonymous floods
    of protected endpoints would go uncounted). 429 with Retry-After in the error envelope."""

    # The gateway's webhooks come from few IPs in bursts and are authenticated by signature.
    EXEMPT = ("/api/v1/payments/webhook",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and not request.path.startswith(self.EXEMPT):
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
