"""Project-level pages (home) and the error handlers: JSON envelope under /api/, HTML elsewhere."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_exempt

from campaigns import selectors as campaign_selectors
from cleanit.api.exceptions import error_body
from cleanit.response_cache import public_page
from marketplace import selectors as marketplace_selectors


def favicon(request):
    # Resolved per request: with the manifest storage the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/logo.svg"))


@public_page
def home(request):
    return render(request, "home.html", {"campaigns": campaign_selectors.campaigns_needing_funds(limit=3),
                                         "cleaner_cities": marketplace_selectors.cleaner_cities()})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, code: str, message: str, template: str):
    if _is_api(request):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, template, {"message": message}, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return _error(request, 413, "payload_too_large", "The request body is too large.", "errors/400.html")
    return _error(request, 400, "bad_request", "The request could not be understood.", "errors/400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "permission_denied", "You are not allowed to do this.", "errors/403.html")


def render_not_found(request, message: str = "Not found."):
    """The 404 page with a message saying what was not found (pages only; the API raises NotFound)."""
    return render(request, "errors/404.html", {"message": message}, status=404)


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", "Not found.", "errors/404.html")


@csrf_exempt  # an unknown API path is a 404 for every method, never a CSRF refusal
def api_not_found(request, *args, **kwargs):
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def server_error(request):
    return _error(request, 500, "server_error", "Something went wrong on our side. Please try again.",
                  "errors/500.html")


def csrf_failure(request, reason=""):
    return _error(request, 403, "csrf_failed", "Your form expired. Please go back, reload the page and try again.",
                  "errors/403.html")
