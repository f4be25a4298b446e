"""The API's OpenAPI description changes only on purpose: regenerate the
snapshot with UPDATE_SNAPSHOTS=1 and review the diff."""

import json
import os
from pathlib import Path

from cpis.api import api

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def test_openapi_schema_matches_the_snapshot():
    schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), sort_keys=True))
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    assert schema == json.loads(SNAPSHOT.read_text())


def test_openapi_and_docs_are_served(client, db):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "CPIS API"
    assert client.get("/api/v1/docs").status_code == 200
