"""Server mode: the same code talks to a real Chroma server (`chroma run`) on 127.0.0.1."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.services import Services
from assistant.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def chroma_url(tmp_path):
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ingest_and_ask_through_a_chroma_server(tmp_path, chroma_url):
    services = Services(Settings(data_dir=tmp_path / "data", embedder="fake", chroma_url=chroma_url))
    result = services.ingestor.ingest_file(CORPUS / "001_ace935a932359564.txt")
    assert result.status == "added"
    assert services.vectors.count() == result.chunks
    again = services.ingestor.ingest_file(CORPUS / "001_ace935a932359564.txt")
    assert again.status == "unchanged" and services.vectors.count() == result.chunks
    answer = services.answerer.answer("Ai ký Quyết định 62/QĐ-TCTCCTTHC?")
    assert "Trần Lưu Quang" in answer.answer
    hits = services.vectors.query("Tổ chức phiên họp định kỳ hàng Quý của Tổ công tác", 3)
    assert hits and all(cid.startswith(result.doc_id) for cid, _ in hits)
