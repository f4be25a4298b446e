"""An OpenAPI 3.1 description of GeoReport v2 as CPIS serves it, at
/open311/v2/openapi.json: for client developers, and for the tests that send
generated requests to every operation. GeoReport itself is specified in prose
(http://wiki.open311.org/GeoReport_v2); this says the same of our endpoints:
the paths with their format, the arguments we read, the bodies in JSON (XML
follows the specification's conversion rules) and the errors."""

from typing import Any

FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "The response's format.",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "description": "Optional: CPIS serves one jurisdiction; another one is 404.",
    "schema": {"type": "string"},
}
CODE = {"type": "string", "pattern": r"^[\w-]+$"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def _path_argument(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": CODE}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _body(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}},
            "text/xml": {"schema": {"type": "string"}},
        },
    }


def _errors(*statuses: int) -> dict[str, Any]:
    meaning = {
        400: "A missing or invalid argument.",
        403: "A missing or invalid api_key.",
        404: "No such service, request, token or jurisdiction.",
        409: "A request with this Idempotency-Key is still being processed.",
        422: "This Idempotency-Key was used for another request.",
    }
    return {str(status): _body("Errors", meaning[status]) for status in statuses}


def _one(summary: str, argument: str, about: str, schema_name: str, answer: str) -> dict[str, Any]:
    """The GET of the one thing its path names: a service, a request, a token."""
    parameters = [_path_argument(argument, about), JURISDICTION]
    return {"get": _operation(summary, parameters, {"200": _body(schema_name, answer)}, 400, 404)}


def _operation(
    summary: str, parameters: list[dict[str, Any]], ok: dict[str, Any], *errors: int
) -> dict[str, Any]:
    return {"summary": summary, "parameters": [FORMAT, *parameters], "responses": {**ok, **_errors(*errors)}}


SCHEMAS: dict[str, Any] = {
    "Errors": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
    },
    "Discovery": {
        "type": "object",
        "properties": {
            "changeset": {"type": "string", "format": "date-time"},
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Service": {
        "type": "object",
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": NULLABLE_TEXT,
            "metadata": {"type": "boolean", "description": "Always false: no extra attributes."},
            "type": {"type": "string", "enum": ["realtime"]},
            "keywords": NULLABLE_TEXT,
            "group": NULLABLE_TEXT,
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array", "maxItems": 0}},
    },
    "ServiceRequest": {
        "type": "object",
        "description": "No request carries the reporter's words, name or contact: the description is "
        "the summary an officer approved for publication (null until then), lat/long are the centre of "
        "the 200 m cell the point falls in, the address is the sector, status_notes our status's name; "
        "sensitive services have no description, address or location.",
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": {"type": "string"},
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": NULLABLE_TEXT,
            "agency_responsible": {"type": "string"},
            "service_notice": {"type": "null"},
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": {"type": "string", "format": "date-time"},
            "expected_datetime": {"type": ["string", "null"], "format": "date-time"},
            "address": NULLABLE_TEXT,
            "address_id": {"type": "null"},
            "zipcode": {"type": "null"},
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The photo without metadata, once an officer published it.",
            },
        },
    },
    "Created": {
        "type": "object",
        "properties": {
            "service_request_id": {"type": "string"},
            "service_notice": {"type": "null"},
            "account_id": {"type": "null"},
        },
    },
    "Token": {
        "type": "object",
        "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
    },
    "NewRequest": {
        "type": "object",
        "required": ["api_key", "service_code"],
        "description": "A location is required: lat and long, or address_string, or address_id.",
        "properties": {
            "api_key": {"type": "string", "description": "An API token issued by the Kosovo Police."},
            "jurisdiction_id": {"type": "string"},
            "service_code": CODE,
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "long": {"type": "number", "minimum": -180, "maximum": 180},
            "address_string": {"type": "string", "maxLength": 200},
            "address_id": {"type": "string", "maxLength": 200},
            "email": {"type": "string"},
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "phone": {"type": "string"},
            "description": {"type": "string", "maxLength": 4000},
        },
        "example": {
            "api_key": "cpis_0123abcd_…",
            "service_code": "public-order",
            "lat": 42.55,
            "long": 21.05,
            "description": "Të rinj që pinë alkool natën pranë shkollës.",
        },
    },
}


def _list_of(schema_name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/components/schemas/{schema_name}"}}


SCHEMAS.update({f"{name}List": _list_of(name) for name in ("Service", "ServiceRequest", "Created", "Token")})


def document(changeset: str) -> dict[str, Any]:
    """The description; `changeset` is the date-time of the service list's last change."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CPIS Open311 GeoReport v2",
            "version": changeset,
            "description": "Concerns reported to the Kosovo Police, as GeoReport v2 service requests. "
            "Every path ends in .json or .xml; XML has a root element and no namespace.",
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/discovery.{format}": {
                "get": _operation(
                    "Where and how to use this API", [], {"200": _body("Discovery", "Discovery.")}, 400
                )
            },
            "/services.{format}": {
                "get": _operation(
                    "The services (concern categories), named in the request's language",
                    [JURISDICTION],
                    {"200": _body("ServiceList", "Services.")},
                    400,
                    404,
                )
            },
            "/services/{service_code}.{format}": _one(
                "A service's definition: no extra attributes",
                "service_code",
                "The service.",
                "ServiceDefinition",
                "The definition.",
            ),
            "/requests.{format}": {
                "get": _operation(
                    "Published requests, newest first: by id, or within at most 90 days "
                    "(the last 90 days when no date is given)",
                    [
                        JURISDICTION,
                        _query(
                            "service_request_id",
                            "Ids, comma-separated; the other filters then apply but the dates.",
                        ),
                        _query("service_code", "Services, comma-separated."),
                        _query(
                            "start_date",
                            "W3C date-time, years 1900 to 2100.",
                            {"type": "string", "format": "date-time"},
                        ),
                        _query(
                            "end_date",
                            "W3C date-time, years 1900 to 2100.",
                            {"type": "string", "format": "date-time"},
                        ),
                        _query("status", "open, closed or both (comma-separated)."),
                        _query("page", "From 1 (an extension of the specification).", {"type": "integer"}),
                        _query(
                            "page_size",
                            "1 to 1,000 (an extension of the specification).",
                            {"type": "integer"},
                        ),
                    ],
                    {"200": _body("ServiceRequestList", "Requests.")},
                    400,
                    404,
                ),
                "post": {
                    **_operation(
                        "Report a concern for a client holding an api_key",
                        [
                            JURISDICTION,
                            {
                                "name": "Idempotency-Key",
                                "in": "header",
                                "required": False,
                                "description": "Makes a retry safe; also the request's token. "
                                "Keys are each API key owner's own.",
                                "schema": {"type": "string", "maxLength": 80},
                            },
                        ],
                        {
                            "200": _body("CreatedList", "A retry of a request already made."),
                            "201": _body("CreatedList", "The new request."),
                        },
                        400,
                        403,
                        404,
                        409,
                        422,
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/NewRequest"}
                            }
                        },
                    },
                },
            },
            "/requests/{service_request_id}.{format}": _one(
                "One published request",
                "service_request_id",
                "The request's id.",
                "ServiceRequestList",
                "The request, in a list of one.",
            ),
            "/tokens/{token_id}.{format}": _one(
                "The id of the request a POST's token names",
                "token_id",
                "The token (the POST's Idempotency-Key).",
                "TokenList",
                "The token and its request's id (one per client that used it).",
            ),
        },
        "components": {"schemas": SCHEMAS},
    }
