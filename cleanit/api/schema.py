"""OpenAPI helpers: the error envelope as a component, the standard error responses, shared parameters."""

import functools

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from cleanit import geo

ErrorEnvelope = inline_serializer(
    name="ErrorEnvelope",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(help_text="Stable machine-readable code, e.g. account_locked."),
                "message": serializers.CharField(help_text="Human-readable explanation."),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    help_text="Per-field messages for validation errors; empty otherwise.",
                ),
            },
        )
    },
)

_SUMMARIES = {
    400: "Validation failed or the body could not be parsed.",
    401: "Missing, invalid, expired or revoked credentials.",
    403: "Authenticated but not allowed.",
    404: "Not found, or not visible to the caller.",
    405: "Method not allowed.",
    409: "The object is not in a state that allows this.",
    413: "The body or upload is too large.",
    415: "Unsupported media type, judged by content.",
    423: "Locked for a while; see Retry-After.",
    429: "Rate limit or business limit exceeded; see Retry-After where timed.",
    502: "The payment gateway failed or did not answer; safe to retry.",
}
# Codes the framework layer answers with (parsing, authentication, routing, throttling), beside the
# domain errors of cleanit.errors.catalogue().
_PROTOCOL_CODES = {
    400: ["validation_error", "parse_error", "bad_request"], 401: ["not_authenticated", "token_not_valid"],
    403: ["permission_denied", "csrf_failed"], 404: ["not_found"], 405: ["method_not_allowed"],
    413: ["payload_too_large"], 415: ["unsupported_media_type"], 429: ["throttled"],
}


@functools.cache
def error_codes_by_status() -> dict[int, list[tuple[str, str]]]:
    """Every stable error code by HTTP status, with its default message: generated, never typed. Built once
    a process: the views' schema decorators ask for it about 300 times as they are imported."""
    from cleanit import errors
    from cleanit.api.exceptions import status_for_domain_error

    table: dict[int, dict[str, str]] = {status: {} for status in _SUMMARIES}
    for error_class in errors.catalogue():
        if error_class.__subclasses__() and error_class.__module__ == "cleanit.errors":
            continue  # a family: its own code is only a fallback
        table[status_for_domain_error(error_class())][error_class.code] = error_class.default_message
    for status, codes in _PROTOCOL_CODES.items():
        for code in codes:
            table[status].setdefault(code, "")
    return {status: sorted(codes.items()) for status, codes in table.items()}


def _description(status: int) -> str:
    codes = ", ".join(f"`{code}`" for code, _ in error_codes_by_status()[status])
    return f"{_SUMMARIES[status]} Codes: {codes}." if codes else _SUMMARIES[status]


def error_catalogue_markdown() -> str:
    lines = ["# API error codes", "",
             "Generated from `cleanit.errors.catalogue()` by `manage.py error_catalogue`; do not edit by hand.",
             'Every error leaves as `{"error": {"code", "message", "fields"}}`.', "",
             "| status | code | default message |", "|---|---|---|"]
    for status, codes in error_codes_by_status().items():
        lines += [f"| {status} | `{code}` | {message} |" for code, message in codes]
    return "\n".join(lines) + "\n"


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Error responses for extend_schema; 429 (rate limit) is added to every operation."""
    return {
        code: OpenApiResponse(response=ErrorEnvelope, description=_description(code))
        for code in sorted({*statuses, 429})
    }


def add_error_catalogue(result, generator, request, public):
    """The error-code table in the schema's description (Swagger UI shows it on top)."""
    result["info"]["description"] += "\n\n" + error_catalogue_markdown().split("\n", 3)[3]
    return result


def strip_trailing_slashes(result, generator, request, public):
    """Paths answer with and without the slash; publish them as api.md writes them (without)."""
    result["paths"] = {
        (path.rstrip("/") if path != "/" else path): operations for path, operations in result["paths"].items()
    }
    return result


def near_parameters() -> list[OpenApiParameter]:
    """The query parameters of a search from a point (cleanit.geo.near_from_query); 400 when unusable."""
    return [
        OpenApiParameter("lat", OpenApiTypes.NUMBER, description=(
            f"latitude of the point to search around, in India ({geo.INDIA_LATITUDE[0]} to {geo.INDIA_LATITUDE[1]}); "
            "with lng")),
        OpenApiParameter("lng", OpenApiTypes.NUMBER, description=(
            f"longitude, in India ({geo.INDIA_LONGITUDE[0]} to {geo.INDIA_LONGITUDE[1]}); with lat")),
        OpenApiParameter("radius_km", OpenApiTypes.NUMBER, description=(
            f"more than 0, at most {geo.MAX_RADIUS_KM}; default {geo.DEFAULT_RADIUS_KM}; used with lat and lng")),
    ]
