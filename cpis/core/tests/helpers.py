"""Helpers the apps' tests share."""

from collections.abc import Callable, Iterator
from typing import Any

from django.test import Client

# The smallest file that passes the uploads' PDF content check.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def json_keys(node: Any) -> Iterator[str]:
    """Every key of a decoded JSON document, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from json_keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from json_keys(value)


def listing(client: Client, url: str, key: str = "id", *, items: str = "items") -> Callable[..., list[Any]]:
    """listing(client, "/api/v1/outreach") → ids(query=""): the `key` of every item
    (under `items`, or `features` for GeoJSON) that the list endpoint answers to
    `?query`, having checked that it answered 200."""

    def get(query: str = "") -> list[Any]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, response.content
        return [item[key] for item in response.json()[items]]

    return get


def statuses(client: Client, *urls: str) -> list[int]:
    """The status code of a GET of each of `urls`, in order."""
    return [client.get(url).status_code for url in urls]
