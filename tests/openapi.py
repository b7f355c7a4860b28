"""Validate API responses against the published OpenAPI schema (drf-spectacular, OpenAPI 3.0)."""

from __future__ import annotations

from functools import cache

from jsonschema import Draft202012Validator


@cache
def api_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _plain(node, components: dict):
    """OpenAPI 3.0 -> JSON Schema: $refs inlined, ``nullable`` as a null alternative."""
    if isinstance(node, list):
        return [_plain(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _plain(components[node["$ref"].rsplit("/", 1)[-1]], components)
    converted = {key: _plain(value, components) for key, value in node.items() if key not in ("nullable", "readOnly")}
    return {"anyOf": [converted, {"type": "null"}]} if node.get("nullable") else converted


def response_errors(path: str, method: str, status: int, body) -> list[str]:
    """Every way ``body`` departs from the schema of that documented response (undocumented status: one error)."""
    schema = api_schema()
    responses = schema["paths"][path][method]["responses"]
    if str(status) not in responses:
        return [f"{method.upper()} {path}: status {status} is not documented"]
    content = responses[str(status)].get("content", {}).get("application/json")
    if content is None:
        return []
    validator = Draft202012Validator(_plain(content["schema"], schema["components"]["schemas"]))
    return [f"{method.upper()} {path} {status}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(body)]
