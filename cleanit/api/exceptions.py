"""Every API error leaves as ``{"error": {"code", "message", "fields"}}``.

Domain errors map to statuses by family; DRF and Django errors (validation, authentication,
permission, 404, 405, 415, parse errors, throttling) keep their status and get a stable code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cleanit import errors

DOMAIN_ERROR_STATUS: tuple[tuple[type[errors.DomainError], int], ...] = (
    (errors.ValidationFailed, status.HTTP_400_BAD_REQUEST),
    (errors.AuthenticationFailed, status.HTTP_401_UNAUTHORIZED),
    (errors.NotAllowed, status.HTTP_403_FORBIDDEN),
    (errors.NotFound, status.HTTP_404_NOT_FOUND),
    (errors.Conflict, status.HTTP_409_CONFLICT),
    (errors.TooLarge, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE),
    (errors.UnsupportedMedia, status.HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    (errors.Locked, status.HTTP_423_LOCKED),
    (errors.LimitExceeded, status.HTTP_429_TOO_MANY_REQUESTS),
    (errors.ExternalServiceError, status.HTTP_502_BAD_GATEWAY),
)

STATUS_CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 423: "locked", 429: "throttled", 500: "server_error",
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def status_for_domain_error(exc: errors.DomainError) -> int:
    for error_class, http_status in DOMAIN_ERROR_STATUS:
        if isinstance(exc, error_class):
            return http_status
    return status.HTTP_400_BAD_REQUEST


def _flatten_fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested detail -> {"field": ["msg"], "address.city": ["msg"], "non_field_errors": [...]}"""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            fields.update(_flatten_fields(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            fields[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten_fields(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def _code_of(exc: exceptions.APIException, http_status: int) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str) and codes not in ("error", "invalid"):
        return codes
    if isinstance(codes, dict) and isinstance(codes.get("code"), str):
        return codes["code"]  # simplejwt puts its code next to the detail
    return getattr(exc, "default_code", None) or STATUS_CODES.get(http_status, "error")


def exception_handler(exc, context):
    if isinstance(exc, errors.DomainError):
        response = Response(error_body(exc.code, exc.message, exc.fields), status=status_for_domain_error(exc))
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_error", "Some fields are not valid.", _flatten_fields(exc.detail))
    else:
        detail = exc.detail
        if isinstance(detail, dict):
            message = str(detail.get("detail") or detail.get("message") or "Request failed.")
        elif isinstance(detail, list):
            message = " ".join(str(item) for item in detail)
        else:
            message = str(detail)
        body = error_body(_code_of(exc, response.status_code), message)
    response.data = body
    return response
