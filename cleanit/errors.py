"""Domain errors raised by services. Each has a stable ``code`` that clients may rely on.

This module holds the families (one per outcome: invalid input, not allowed, conflict...) and the
errors shared by every app; each app declares its own errors, one class per code, in its
``errors.py``. :func:`catalogue` lists them all, and the API's error documentation is generated
from it. Services know nothing of HTTP; the API maps each family to a status code
(cleanit.api.exceptions) and the pages turn them into form errors or messages."""

from __future__ import annotations

import importlib
import importlib.util


class DomainError(Exception):
    """Base class. ``code`` is stable; ``message`` is for people; ``fields`` maps field -> messages."""

    code = "domain_error"
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, fields: dict | None = None, retry_after: int | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        self.retry_after = retry_after
        super().__init__(self.message)


class ValidationFailed(DomainError):
    """The input breaks a rule (400)."""

    code = "validation_error"
    default_message = "Some fields are not valid."


class AuthenticationFailed(DomainError):
    """Credentials or token not accepted (401)."""

    code = "authentication_failed"
    default_message = "Authentication failed."


class NotAllowed(DomainError):
    """The caller is known but may not do this (403)."""

    code = "permission_denied"
    default_message = "You are not allowed to do this."


class NotFound(DomainError):
    """The object does not exist or the caller may not see it (404)."""

    code = "not_found"
    default_message = "Not found."


class Conflict(DomainError):
    """The object is not in a state that allows this (409)."""

    code = "conflict"
    default_message = "The request conflicts with the current state."


class TooLarge(DomainError):
    """An upload is over its size limit (413)."""

    code = "file_too_large"
    default_message = "The file is too large."


class UnsupportedMedia(DomainError):
    """An upload is not of an accepted type, judged by its content (415)."""

    code = "unsupported_media_type"
    default_message = "This type of file is not accepted."


class Locked(DomainError):
    """The resource is locked for a while (423)."""

    code = "locked"
    default_message = "This resource is locked."


class LimitExceeded(DomainError):
    """A quota or rate limit was hit (429)."""

    code = "limit_exceeded"
    default_message = "Limit exceeded. Try again later."


class ExternalServiceError(DomainError):
    """A dependency (gateway, mail) failed; the caller may retry (502)."""

    code = "external_service_error"
    default_message = "A dependent service failed. Please try again."


class InvalidTransition(Conflict):
    """A status change that the model's transition table does not allow from the current status."""

    code = "invalid_transition"
    default_message = "This cannot be done in the current status."


def catalogue() -> list[type[DomainError]]:
    """Every domain error class of the project (the families included), by code. Codes are unique."""
    from django.apps import apps

    for app_config in apps.get_app_configs():
        if importlib.util.find_spec(f"{app_config.name}.errors") is not None:
            importlib.import_module(f"{app_config.name}.errors")
    found: dict[str, type[DomainError]] = {}
    pending = [DomainError]
    while pending:
        error_class = pending.pop()
        pending.extend(error_class.__subclasses__())
        other = found.setdefault(error_class.code, error_class)
        if other is not error_class:
            raise RuntimeError(f"error code {error_class.code!r} is declared twice: {other} and {error_class}")
    return sorted(found.values(), key=lambda error_class: error_class.code)
