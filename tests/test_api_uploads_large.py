"""Uploads near the size limit (CCHC_MAX_UPLOAD_MB), through TestClient with a 0.5 MB limit.

A file just under the limit is accepted whole (stored and indexed byte for byte, not cut at
the read limit); one over it, by 20 % or by a single byte, is a 413 in the error shape and
nothing of the request is written under the uploads dir.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_helpers import KEY, PLAN, assert_error, fresh, wait_job  # noqa: E402,F401

LIMIT_MB = 0.5  # small: ingest time grows faster than linearly with the file size
LIMIT_BYTES = int(LIMIT_MB * 1024 * 1024)
# The two-task PLAN padded with prose paragraphs: size is what matters here.
FILLER = ("Tiếp tục rà soát, đơn giản hóa thủ tục hành chính và số hóa hồ sơ, kết quả giải quyết "
          "thủ tục hành chính tại Bộ phận Một cửa các cấp.\n\n").encode("utf-8")


def plan_of_size(size: int) -> bytes:
    head = PLAN.encode("utf-8") + b"\n"
    body = FILLER * ((size - len(head)) // len(FILLER) + 1)
    return (head + body)[:size].rsplit(b"\n", 1)[0].ljust(size, b" ")  # whole characters, exact size


def stored_files(settings) -> list[Path]:
    uploads = settings.uploads_dir
    return sorted(uploads.iterdir()) if uploads.exists() else []


def test_file_just_under_the_limit_is_ingested_whole(fresh):
    c, settings = fresh(seed=False, max_upload_mb=LIMIT_MB)
    data = plan_of_size(int(0.9 * LIMIT_BYTES))
    r = c.post("/v1/documents", files=[("files", ("ke-hoach-lon.txt", data, "text/plain"))], headers=KEY)
    assert r.status_code == 202, r.text
    job = wait_job(c, r.json()["job_id"], timeout=120)
    (entry,) = job["files"]
    assert (job["status"], entry["status"], entry["error"]) == ("done", "added", None)
    assert entry["tasks"] == 2 and entry["chunks"] > 10
    docs = c.get("/v1/documents").json()["documents"]
    assert [d["source"] for d in docs] == ["ke-hoach-lon.txt"]
    assert c.get(f"/v1/documents/{entry['doc_id']}/original").content == data
    assert [p.stat().st_size for p in stored_files(settings)] == [len(data)]


@pytest.mark.parametrize("size", [int(1.2 * LIMIT_BYTES), LIMIT_BYTES + 1], ids=["1.2x", "limit+1B"])
def test_file_over_the_limit_is_413_and_nothing_is_stored(fresh, size):
    c, settings = fresh(seed=False, max_upload_mb=LIMIT_MB)
    small = ("nho.txt", PLAN.encode("utf-8"), "text/plain")  # a valid file in the same request
    big = ("ke-hoach-qua-lon.txt", plan_of_size(size), "text/plain")
    r = c.post("/v1/documents", files=[("files", small), ("files", big)], headers=KEY)
    err = assert_error(r, 413, "file_too_large")
    assert "ke-hoach-qua-lon.txt" in err["message"] and f"tối đa {LIMIT_MB} MB" in err["message"]
    assert stored_files(settings) == []
    assert c.get("/v1/documents").json()["documents"] == []
