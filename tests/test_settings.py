"""Settings from the environment: lists as comma-separated text or JSON."""
from __future__ import annotations

import pytest

from assistant.settings import Settings


@pytest.mark.parametrize("raw", ["k1,k2", " k1 , k2 ", '["k1","k2"]'])
def test_api_keys_accept_csv_and_json(monkeypatch, raw):
    monkeypatch.setenv("CCHC_API_KEYS", raw)
    monkeypatch.setenv("CCHC_TELEGRAM_ALLOWED", raw)
    settings = Settings()
    assert settings.api_keys == ["k1", "k2"]
    assert settings.telegram_allowed == ["k1", "k2"]


def test_empty_lists_by_default(monkeypatch):
    monkeypatch.delenv("CCHC_API_KEYS", raising=False)
    assert Settings().api_keys == []


def test_cli_names_a_bad_setting_without_a_traceback(monkeypatch, capsys):
    from cchc.cli import main

    monkeypatch.setenv("CCHC_EMBED_QUANTIZE", "int4")
    assert main(["docs"]) == 2
    err = capsys.readouterr().err
    assert "CCHC_EMBED_QUANTIZE='int4'" in err and "Traceback" not in err
