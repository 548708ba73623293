"""Property tests of the OpenAPI schema with schemathesis: every operation, generated inputs,
never a 500, and every response conforms to the documented schema (status, content type, body).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest_api import API_KEY, build_services, make_settings  # noqa: E402

from assistant.api import create_app  # noqa: E402

pytestmark = pytest.mark.slow


def _app(tmp_dir: Path):
    cfg = make_settings(tmp_dir, max_upload_mb=0.05, max_upload_files=3)
    services, _ = build_services(cfg)
    return create_app(cfg, services)


_DATA = Path(__import__("tempfile").mkdtemp(prefix="cchc-schema-"))
APP = _app(_DATA)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    # With a key, so the writing operations are exercised too (on a throw-away data dir).
    case.call_and_validate(headers={"X-API-Key": API_KEY})


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_without_key_never_fails_with_500(case):
    response = case.call()
    assert response.status_code < 500 or response.status_code == 503, response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
