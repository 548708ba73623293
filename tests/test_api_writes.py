"""The HTTP API end to end, writing side: auth, uploads, deletes, limits, request ids, logs.

Same set-up as test_api.py (fake answerer, real catalogue, ingestor and pipeline).
"""
from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_helpers import KEY, PLAN, assert_error, client, fresh, seed_id, shared, wait_job  # noqa: E402,F401
from conftest_api import API_KEY  # noqa: E402


# -- auth ----------------------------------------------------------------------------------
def test_writing_needs_a_valid_key(client):
    files = {"files": ("a.txt", PLAN.encode(), "text/plain")}
    assert_error(client.post("/v1/documents", files=files), 401, "auth_required")
    assert_error(client.post("/v1/documents", files=files, headers={"X-API-Key": "wrong"}), 401, "invalid_key")
    assert_error(client.delete(f"/v1/documents/{seed_id(client)}"), 401, "auth_required")
    assert client.get("/v1/documents").json()["documents"]  # still there


def test_writing_is_refused_when_no_keys_are_configured(fresh):
    c, _ = fresh(seed=False, api_keys=[])
    err = assert_error(c.post("/v1/documents", files={"files": ("a.txt", b"x", "text/plain")}, headers=KEY),
                       403, "writing_disabled")
    assert "CCHC_API_KEYS" in err["message"]


def test_closed_reading_needs_a_key(fresh):
    c, _ = fresh(seed=False, open_read=False)
    assert_error(c.get("/v1/documents"), 401, "auth_required")
    assert_error(c.post("/v1/ask", json={"question": "x"}), 401, "auth_required")
    assert c.get("/v1/documents", headers=KEY).status_code == 200
    assert c.get("/healthz").status_code == 200  # probes stay open


# -- uploads -------------------------------------------------------------------------------
def test_upload_ingests_in_background_and_lists_the_document(fresh):
    c, settings = fresh(seed=False)
    r = c.post("/v1/documents", files=[("files", ("ke-hoach-thu.txt", PLAN.encode(), "text/plain"))], headers=KEY)
    assert r.status_code == 202
    accepted = r.json()
    assert accepted["status_url"] == f"/v1/jobs/{accepted['job_id']}"
    job = wait_job(c, accepted["job_id"])
    assert job["status"] == "done" and job["processed"] == job["total"] == 1
    (f,) = job["files"]
    assert (f["status"], f["source"], f["tasks"], f["error"]) == ("added", "ke-hoach-thu.txt", 2, None)
    docs = c.get("/v1/documents").json()["documents"]
    assert [d["source"] for d in docs] == ["ke-hoach-thu.txt"] and docs[0]["tasks"] == 2
    tasks = c.get("/v1/tasks", params={"agency": "Sở Tư pháp"}).json()["items"]
    assert [(t["task_number"], t["deadline"]["text"]) for t in tasks] == [("1", "Tháng 12 năm 2025")]
    assert c.get(f"/v1/documents/{docs[0]['id']}/original").content == PLAN.encode()


def test_upload_name_is_never_a_path(fresh, tmp_path):
    c, settings = fresh(seed=False)
    r = c.post("/v1/documents", files=[("files", ("../../evil.txt", PLAN.encode(), "text/plain")),
                                       ("files", ("..\\..\\win\\evil2.txt", PLAN.encode(), "text/plain")),
                                       ("files", ("..", b"data", "text/plain"))], headers=KEY)
    job = wait_job(c, r.json()["job_id"])
    statuses = [(f["source"], f["status"]) for f in job["files"]]
    assert statuses[:2] == [("evil.txt", "added"), ("evil2.txt", "added")]
    assert statuses[2] == (None, "error") and "invalid file name" in job["files"][2]["error"]
    stored = sorted(p.name for p in settings.uploads_dir.iterdir())
    assert len(stored) == 2 and all(re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]{16}\.txt", n) for n in stored)
    assert not list(tmp_path.rglob("evil*.txt")) and not (tmp_path.parent / "evil.txt").exists()


def test_same_name_uploads_a_new_version(fresh):
    c, settings = fresh(seed=False)
    first = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", PLAN.encode(), "text/plain")},
                               headers=KEY).json()["job_id"])
    v2 = PLAN.replace("Sở Tư pháp", "Sở Tài chính")
    second = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", v2.encode(), "text/plain")},
                                headers=KEY).json()["job_id"])
    again = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", v2.encode(), "text/plain")},
                               headers=KEY).json()["job_id"])
    assert [j["files"][0]["status"] for j in (first, second, again)] == ["added", "updated", "unchanged"]
    docs = c.get("/v1/documents").json()["documents"]
    assert len(docs) == 1
    assert len(list(settings.uploads_dir.iterdir())) == 1  # the old version's file is gone
    assert c.get(f"/v1/documents/{docs[0]['id']}/original").content == v2.encode()
    assert c.get("/v1/tasks", params={"agency": "Sở Tài chính"}).json()["total"] == 1


def test_failed_new_version_keeps_the_old_one(fresh):
    c, settings = fresh(seed=False)
    wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", PLAN.encode(), "text/plain")},
                       headers=KEY).json()["job_id"])
    bad = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", b"\x00\x01\x02" * 50, "text/plain")},
                             headers=KEY).json()["job_id"])
    assert bad["files"][0]["status"] == "error"
    doc = c.get("/v1/documents").json()["documents"][0]
    assert doc["tasks"] == 2 and c.get(f"/v1/documents/{doc['id']}/original").content == PLAN.encode()


def test_unsupported_extension_is_a_job_error(fresh):
    c, settings = fresh(seed=False)
    job = wait_job(c, c.post("/v1/documents", files={"files": ("tool.exe", b"MZ\x90\x00", "application/x-msdownload")},
                             headers=KEY).json()["job_id"])
    assert job["status"] == "done"
    (f,) = job["files"]
    assert f["status"] == "error" and ".exe" in f["error"] and "chưa được hỗ trợ" in f["error"]
    assert c.get("/v1/documents").json()["documents"] == []
    assert not settings.uploads_dir.exists() or not list(settings.uploads_dir.iterdir())


def test_too_many_files_is_413(fresh):
    c, _ = fresh(seed=False, max_upload_files=2)
    files = [("files", (f"f{i}.txt", b"abc", "text/plain")) for i in range(3)]
    err = assert_error(c.post("/v1/documents", files=files, headers=KEY), 413, "too_many_files")
    assert "tối đa 2 tệp" in err["message"]


def test_too_large_file_is_413(fresh):
    c, _ = fresh(seed=False, max_upload_mb=0.001)  # about 1 KB
    err = assert_error(c.post("/v1/documents", files={"files": ("big.txt", b"a" * 5000, "text/plain")},
                              headers=KEY), 413, "file_too_large")
    assert "big.txt" in err["message"] and "quá lớn" in err["message"]


def test_too_large_body_is_rejected_by_content_length(client):
    r = client.post("/v1/ask", content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert_error(r, 413, "body_too_large")


def test_too_large_chunked_body_is_stopped_while_reading(client):
    def body():  # no Content-Length: the size is only known while reading
        for _ in range(40):
            yield b"x" * 65536

    r = client.post("/v1/ask", content=body(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_error(r, 413, "body_too_large")


def test_delete_with_key_removes_document_and_original(fresh):
    c, settings = fresh(seed=False)
    job = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", PLAN.encode(), "text/plain")},
                             headers=KEY).json()["job_id"])
    doc_id = job["files"][0]["doc_id"]
    r = c.delete(f"/v1/documents/{doc_id}", headers=KEY)
    assert r.status_code == 200 and r.json() == {"deleted": doc_id, "source": "plan.txt"}
    assert c.get("/v1/documents").json()["documents"] == []
    assert not list(settings.uploads_dir.iterdir())
    assert_error(c.delete(f"/v1/documents/{doc_id}", headers=KEY), 404, "document_not_found")
    assert c.get("/v1/tasks").json()["total"] == 0


# -- limits, request ids, logs ---------------------------------------------------------------
def test_rate_limit_429_with_retry_after(fresh):
    c, _ = fresh(seed=False, rate_limit_per_min=3)
    for _ in range(3):
        assert c.get("/v1/documents").status_code == 200
    r = c.get("/v1/documents")
    assert_error(r, 429, "rate_limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # A client with a key is counted separately from the anonymous IP.
    assert c.get("/v1/documents", headers=KEY).status_code == 200
    assert c.get("/healthz").status_code == 200  # probes are not limited


def test_request_id_and_json_logs(fresh):
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Collect()
    logging.getLogger("cchc.api").addHandler(handler)
    try:
        quiet, _ = fresh(seed=False)
        r = quiet.post("/v1/ask", json={"question": "không có gì bí mật"}, headers={"X-Request-ID": "req-123", **KEY})
        loud, _ = fresh(seed=False, log_questions=True)
        loud.post("/v1/ask", json={"question": "không có câu hỏi mở"})
    finally:
        logging.getLogger("cchc.api").removeHandler(handler)
    assert r.headers["X-Request-ID"] == "req-123"
    lines = [json.loads(m) for m in records if m.startswith("{") and '"request"' in m]
    first = next(x for x in lines if x["request_id"] == "req-123")
    assert first["method"] == "POST" and first["path"] == "/v1/ask" and first["status"] == 200
    assert first["duration_ms"] >= 0 and "question" not in first
    assert any(x.get("question") == "không có câu hỏi mở" for x in lines)
    assert API_KEY not in "\n".join(records)

