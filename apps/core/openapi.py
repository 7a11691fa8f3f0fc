"""OpenAPI post-processing: every operation documents the error shape it can answer with."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}

ERROR_STATUSES = {
    "400": "Invalid input: `fields` names each field and the reason.",
    "401": "Not signed in.",
    "403": "Signed in, but this role may not do this.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed.",
    "409": "The object's state does not allow this.",
    "415": "Unsupported media type.",
    "422": "The request conflicts with an earlier one (e.g. a reused idempotency key).",
    "429": "Too many requests; retry later.",
    "503": "A part of the service is unavailable.",
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


# DRF writes times as "HH:MM[:SS[.ffffff]]" without an offset; JSON Schema's "time" format
# requires one, so a client validating strictly would refuse every time we send.
LOCAL_TIME = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"}


def describe_local_times(result, generator, request, public):
    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "time":
                del node["format"]
                node.setdefault("pattern", LOCAL_TIME["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result


def role_views_match_any(result, generator, request, public):
    """A `...ByRole` component lists what each role may see; a fuller view also matches the
    narrower one, so the body matches any of them (anyOf), not exactly one (oneOf)."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("ByRole") and "oneOf" in schema:
            schema["anyOf"] = schema.pop("oneOf")
    return result
