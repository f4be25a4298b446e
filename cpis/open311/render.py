"""GeoReport v2 responses in XML and JSON, following the specification's
conversion rules: XML has a root container and no namespace; JSON drops
the root container, so a list is a top-level array, repeating children are
always arrays and empty elements are null."""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"


def w3c(value: datetime | None) -> str | None:
    """W3C date-time with a time zone, e.g. 2010-01-01T00:00:00Z."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _xml_value(element: ET.Element, value: Any, child_tag: str | None) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _xml_child(element, key, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _xml_child(element, child_tag or "item", item)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


# Repeating children in GeoReport: the container's name → its item's name.
CHILDREN = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def _xml_child(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    _xml_value(element, value, CHILDREN.get(tag))


def respond(fmt: str, root: str, item: str | None, data: Any, *, status: int = 200) -> HttpResponse:
    """`data` is a list of mappings (rendered as root/item…) or one mapping
    (rendered as root/…)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
        return HttpResponse(body, content_type=JSON_TYPE, status=status)
    element = ET.Element(root)
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        for entry in data:
            _xml_child(element, item or "item", entry)
    else:
        _xml_value(element, data, None)
    body = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body, content_type=XML_TYPE, status=status)


def errors(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", "error", [{"code": status, "description": description}], status=status)
