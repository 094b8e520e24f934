"""Schemathesis drives every operation of the OpenAPI schema against a real server: no request may get a 5xx."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from service.config import Settings
from tests.live_server import live_server


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    db = tmp_path_factory.mktemp("fuzz") / "archive.db"
    config = Settings(db=str(db), max_upload_bytes=2 * 1024 * 1024, workers=2, queue_size=64, parse_timeout_s=30,
                      api_key=None, cors_origins=())
    with live_server(config) as base:
        yield schemathesis.openapi.from_url(f"{base}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error], timeout=60)
