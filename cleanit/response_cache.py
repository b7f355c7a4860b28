"""Kept answers to GET requests, for the public pages and lists and for each person's own lists (issue 12).

A kept answer lives RESPONSE_CACHE_SECONDS (default 5) in the cache and is keyed by everything the answer
depends on, in one of three scopes:

``public``
    The answer to a request that carries no credentials (no Authorization header, no session cookie, no flash
    message waiting) depends only on its URL, so every such request shares it: the home page, the campaign
    and cleaner pages and lists, and the same API answers asked anonymously. A signed-in request never reads
    or fills a public answer (drafts, "your contributions", the account menu are never shared).
``shared``
    An API answer that is the same for every caller allowed to ask (the cleaner search, a cleaner's profile and
    free slots: no viewer in them; the job board, to any cleaner): shared by everyone, signed in or not, once
    DRF has authenticated the caller and checked its permissions.
``private``
    One person's own list (notifications, bookings, transactions) or booking: keyed by that person's id.

Freshness. Whoever changes something sees it at once: every write (POST, PUT, PATCH, DELETE) by a signed-in
person marks that person for RESPONSE_CACHE_SECONDS (RecentWriterMiddleware), and a marked person's reads
skip the kept answers (and store fresh ones). Everybody else sees a change within RESPONSE_CACHE_SECONDS:
an answer is never older than that. No versions are kept: under the campaigns load a contribution lands
every 60 ms, and a list version bumped by each would keep no answer long enough to be read twice
(docs/benchmarks.md measures both). Only complete 200 answers that set no cookie are kept.

RESPONSE_CACHE_SECONDS=0 turns all of it off (the test settings do, except in the tests of this module)."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

__all__ = ["public_page", "CachedGetMixin", "RecentWriterMiddleware", "writer_mark", "SCOPES"]

SCOPES = ("public", "shared", "private")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HIT, MISS = "hit", "miss"
HEADER = "X-Cache"  # hit or miss on the answers that may be kept; tests and benchmarks read it
_SKIPPED_HEADERS = frozenset({"set-cookie", "x-request-id", HEADER.lower()})


def seconds() -> int:
    return int(getattr(settings, "RESPONSE_CACHE_SECONDS", 0) or 0)


def _writer_key(user_id) -> str:
    return f"rc:writer:{user_id}"


def writer_mark(user_id) -> None:
    """This person just changed something: their reads skip the kept answers for a while."""
    if seconds():
        cache.set(_writer_key(user_id), 1, timeout=seconds())


def credential_less(request) -> bool:
    """No credentials and nothing personal waiting: the answer is the same for every such request."""
    cookies = request.COOKIES
    return not (request.META.get("HTTP_AUTHORIZATION") or settings.SESSION_COOKIE_NAME in cookies
                or "messages" in cookies)


def _key(scope: str, request, owner: str = "") -> str:
    headers = request.headers
    raw = "\n".join((scope, owner, request.scheme, request.get_host(), request.get_full_path(),
                     headers.get("Accept", ""), headers.get("HX-Request", ""), headers.get("HX-Target", "")))
    return f"rc:{scope}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


def _rebuild(stored) -> HttpResponse:
    status, content, headers = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = HIT
    return response


def _keep(key: str, response) -> None:
    """Keep a complete 200 answer that sets no cookie and does not ask not to be kept."""
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", ""):
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    headers = [(name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS]
    cache.set(key, (response.status_code, response.content, headers), timeout=seconds())
    response[HEADER] = MISS


def _lookup(key: str, writer: str | None = None):
    """The kept answer under key, unless writer (a person's mark) is set: then None, to answer afresh."""
    if writer is None:
        return cache.get(key)
    found = cache.get_many([key, writer])
    return None if writer in found else found.get(key)


def public_page(view):
    """Keep a page view's GET answers for credential-less visitors (the public scope)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or not seconds() or not credential_less(request):
            return view(request, *args, **kwargs)
        key = _key("public", request)
        stored = _lookup(key)
        if stored is not None:
            return _rebuild(stored)
        response = view(request, *args, **kwargs)
        _keep(key, response)
        return response

    return wrapped


class _KeptAnswer(Exception):
    """Carries a kept answer out of DRF's initial() to handle_exception(), which returns it."""

    def __init__(self, response):
        super().__init__("kept answer")
        self.response = response


def _bearer(request) -> str | None:
    kind, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() or None if kind == "Bearer" else None


def _digest(token: str) -> str:
    return hashlib.blake2b(token.encode(), digest_size=16).hexdigest()


def _pass_key(view: str, token: str) -> str:
    return f"rc:pass:{view}:{_digest(token)}"


def _token_user_id(token: str) -> str | None:
    """The user id of a valid, unexpired access token (signature and expiry checked, not the user's row)."""
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.settings import api_settings
    from rest_framework_simplejwt.tokens import AccessToken

    try:
        return str(AccessToken(token)[api_settings.USER_ID_CLAIM])
    except (TokenError, KeyError):
        return None


class CachedGetMixin:
    """For a DRF view: keep its GET answers in ``response_cache_scope`` (public, shared or private).

    The lookup runs at the end of initial(), once DRF has authenticated the caller and checked the permissions,
    so a refused caller is refused as before and a bad token is still a 401; the handler does not run then.
    Before DRF runs at all (dispatch), two callers are answered from a kept answer at once:
    - a credential-less request, when anyone may read the view (``response_cache_open``: GET needs no
      sign-in and no permission);
    - a bearer token that DRF let in on this view (authenticated and permitted) within RESPONSE_CACHE_SECONDS:
      its signature and expiry are checked again, its user's row is not. A token revoked in those seconds can
      so read again, for at most that long, what it was given; writes always go through DRF."""

    response_cache_scope = "public"
    response_cache_open = False

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and seconds():
            kept = self._kept_before_drf(request)
            if kept is not None:
                return kept
        return super().dispatch(request, *args, **kwargs)

    def _kept_before_drf(self, request):
        scope = self.response_cache_scope
        if credential_less(request):
            stored = _lookup(_key(scope, request)) if self.response_cache_open and scope != "private" else None
            return None if stored is None else _rebuild(stored)
        token = _bearer(request)
        if scope == "public" or token is None or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        user_id = _token_user_id(token)
        if user_id is None:
            return None
        key = _key(scope, request, owner=user_id if scope == "private" else "")
        passed, writer = _pass_key(type(self).__name__, token), _writer_key(user_id)
        found = cache.get_many([key, writer, passed])
        if key not in found or writer in found or passed not in found:
            return None
        return _rebuild(found[key])

    def _response_cache_key(self, request) -> tuple[str | None, str | None]:
        """(the answer's key, the caller's writer mark) or (None, None) when this request is not kept."""
        if request.method != "GET" or not seconds():
            return None, None
        user = request.user
        signed_in = bool(user and user.is_authenticated)
        scope = self.response_cache_scope
        if scope == "public":
            return (None, None) if signed_in or not credential_less(request) else (_key("public", request), None)
        if scope == "private":
            if not signed_in:
                return None, None
            return _key("private", request, owner=str(user.pk)), _writer_key(user.pk)
        return _key("shared", request), _writer_key(user.pk) if signed_in else None

    def initial(self, request, *args, **kwargs):
        request._response_cache_key = None
        super().initial(request, *args, **kwargs)
        token = _bearer(request) if request.method == "GET" and seconds() else None
        if token is not None and request.user.is_authenticated:  # let in: its next reads may skip DRF
            cache.set(_pass_key(type(self).__name__, token), 1, timeout=seconds())
        key, writer = self._response_cache_key(request)
        if key is not None:
            stored = _lookup(key, writer)
            if stored is not None:
                raise _KeptAnswer(_rebuild(stored))
        request._response_cache_key = key

    def handle_exception(self, exc):
        if isinstance(exc, _KeptAnswer):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(request, "_response_cache_key", None)
        if key is not None:
            _keep(key, response)
        return response


class RecentWriterMiddleware:
    """Marks every signed-in person who sends a write, whatever the answer, so that their next reads for
    RESPONSE_CACHE_SECONDS are answered afresh. Runs after the view: the write has been committed (or
    refused) by then. request.user is read only on writes, where the view has already resolved it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS and seconds():
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                writer_mark(user.pk)
        return response
