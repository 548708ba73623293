"""Property tests of the OpenAPI schema with schemathesis: every operation, generated inputs,
never a 500, and every response conforms to the documented schema (status, content type, body).
"""
from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest_api import API_KEY, CORPUS, SEED, TaskAnswerer, make_settings  # noqa: E402

from assistant.api import create_app  # noqa: E402
from assistant.services import Services  # noqa: E402

pytestmark = pytest.mark.slow


# 413 is a correct rejection here: the API answers an over-long question or too many files
# with 413 (Content Too Large), as its schema documents.
CONFIG = {"checks": {"negative_data_rejection": {"expected-statuses": [
    "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5XX"]}}}


# Cheap at import (nothing is loaded or read until the tests run): schemathesis needs the
# schema when it collects. The seed document is ingested by the fixture below.
_DATA = Path(tempfile.mkdtemp(prefix="cchc-schema-"))
_SETTINGS = make_settings(_DATA, max_upload_mb=0.05, max_upload_files=3)
_SERVICES = Services(_SETTINGS)


@atexit.register  # also when these tests are deselected
def _cleanup() -> None:
    if "catalogue" in _SERVICES.__dict__:
        _SERVICES.catalogue.close()  # else SQLite re-creates its WAL files after the removal
    shutil.rmtree(_DATA, ignore_errors=True)


_SERVICES.answerer = TaskAnswerer(_SERVICES)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(_SETTINGS, _SERVICES),
    config=schemathesis.config.SchemathesisConfig.from_dict(CONFIG))


@pytest.fixture(scope="module", autouse=True)
def seeded():
    """The real seed document, ingested with the fake embedder."""
    assert _SERVICES.ingestor.ingest_file(CORPUS / SEED).status in ("added", "unchanged")
    yield


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    # With a key, so the writing operations are exercised too (on a throw-away data dir).
    excluded = []
    if case.operation.path == "/v1/documents" and case.method.upper() == "POST":
        # Every multipart part is bytes: a "number" or "object" file is still a valid file, so
        # schemathesis' "wrong type must be rejected" does not apply to the upload body.
        excluded.append(negative_data_rejection)
    case.call_and_validate(headers={"X-API-Key": API_KEY}, excluded_checks=excluded)


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_without_key_never_fails_with_500(case):
    response = case.call()
    assert response.status_code < 500 or response.status_code == 503, response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
