"""Shared pieces of the HTTP API tests (test_api.py, test_api_writes.py): apps and helpers.

The fixtures are imported by the test modules; ``shared`` is a read-only app over the seed
document, ``fresh`` makes apps with their own data dir for tests that write.
"""
from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from conftest_api import API_KEY, SEED, build_services, make_settings
from assistant.api import create_app

KEY = {"X-API-Key": API_KEY}
PLAN = ("ỦY BAN NHÂN DÂN TỈNH THỬ\nKẾ HOẠCH\nThử nghiệm tải lên văn bản\n\n"
        "STT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời hạn\n"
        "1\tXây dựng cơ sở dữ liệu thử nghiệm về hộ tịch\tSở Tư pháp\tSở Nội vụ\tTháng 12 năm 2025\n"
        "2\tTập huấn cán bộ một cửa\tSở Nội vụ\tUBND cấp xã\tQuý IV năm 2025\n")


def start(settings, services):
    app = create_app(settings, services)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    assert app.state.ready.wait(10)
    return client


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A read-only app over the seed document (tests here must not write)."""
    settings = make_settings(tmp_path_factory.mktemp("shared"))
    services, answerer = build_services(settings)
    client = start(settings, services)
    yield client, answerer
    client.__exit__(None, None, None)


@pytest.fixture
def client(shared):
    return shared[0]


@pytest.fixture
def fresh(tmp_path):
    """A factory of apps with their own data dir, for tests that write or change settings."""
    clients = []

    def make(seed: bool = True, **overrides):
        settings = make_settings(tmp_path / f"d{len(clients)}", **overrides)
        services, answerer = build_services(settings, seed=seed)
        c = start(settings, services)
        clients.append(c)
        return c, settings

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and " / " in body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def seed_id(client) -> str:
    docs = client.get("/v1/documents").json()["documents"]
    return next(d["id"] for d in docs if d["source"] == SEED)


def wait_job(client, job_id: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")

