"""A replaced/repealed/amended document names the indexed document that supersedes it."""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.evidence import Doc, DocumentStore
from assistant.relations import full_number_key, replacement_note, superseded_by
from index.catalogue import Catalogue
from ingest.pipeline import parse_document
from ingest.readers import read_bytes, read_path
from ingest.types import DocumentMeta, Relation

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

_HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "Độc lập - Tự do - Hạnh phúc\n\nSố: {num}\n\nBắc Ninh, ngày {day}\n\n")
OLD = _HEAD.format(num="17/2024/QĐ-UBND", day="21 tháng 8 năm 2024") + (
    "QUYẾT ĐỊNH\nBan hành Quy chế tiếp nhận, xử lý phản ánh kiến nghị\n\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận, xử lý phản ánh kiến nghị.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 9 năm 2024.\n"
    "Điều 3. Thủ trưởng các sở, ngành chịu trách nhiệm thi hành Quyết định này./.\n")
NEW = _HEAD.format(num="78/2025/QĐ-UBND", day="21 tháng 11 năm 2025") + (
    "QUYẾT ĐỊNH\nBan hành Quy chế tiếp nhận, xử lý phản ánh kiến nghị trên ứng dụng\n\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp nhận, xử lý phản ánh kiến nghị.\n"
    "Điều 2. Thủ trưởng các sở, ngành chịu trách nhiệm thi hành Quyết định này.\n"
    "Điều 3. Quyết định này có hiệu lực kể từ ngày 05 tháng 12 năm 2025 và bãi bỏ "
    "Quyết định số 17/2024/QĐ-UBND ngày 21 tháng 8 năm 2024 của UBND tỉnh Bắc Ninh./.\n")
OTHER = _HEAD.format(num="5/2025/QĐ-UBND", day="02 tháng 01 năm 2025") + (
    "QUYẾT ĐỊNH\nBan hành Quy định về quản lý cụm công nghiệp\n\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy định về quản lý cụm công nghiệp.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2025./.\n")
TEXTS = {"qd-17-2024.txt": OLD, "qd-78-2025.txt": NEW, "qd-5-2025.txt": OTHER}


def _store(tmp_path, parsed) -> dict[str, Doc]:
    """Docs exactly as the answerer sees them: catalogue rows (meta through JSON) -> DocumentStore."""
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    for doc in parsed:
        catalogue.upsert(doc, hashlib.sha256(doc.text.encode()).hexdigest(), "txt")
    store = DocumentStore(catalogue)
    store.refresh()
    return store.docs


def _by_number(docs: dict[str, Doc]) -> dict[str, Doc]:
    return {d.meta.number: d for d in docs.values()}


@pytest.fixture()
def docs(tmp_path) -> dict[str, Doc]:
    parsed = [parse_document(read_bytes(text.encode("utf-8"), name), name) for name, text in TEXTS.items()]
    return _store(tmp_path, parsed)


def test_synthetic_texts_parse_as_intended(docs):
    by_number = _by_number(docs)
    assert sorted(by_number) == ["17/2024/QĐ-UBND", "5/2025/QĐ-UBND", "78/2025/QĐ-UBND"]
    assert [(r.kind, r.target) for r in by_number["78/2025/QĐ-UBND"].meta.relations] == [
        ("repeals", "17/2024/QĐ-UBND")]


def test_old_decision_names_its_repealer_and_the_verb(docs):
    by_number = _by_number(docs)
    old, new = by_number["17/2024/QĐ-UBND"], by_number["78/2025/QĐ-UBND"]
    pairs = superseded_by(old, docs)
    assert [(other.id, rel.kind) for other, rel in pairs] == [(new.id, "repeals")]
    note = replacement_note(old, docs)
    assert note == "Lưu ý: văn bản này đã bị bãi bỏ bởi Quyết định 78/2025/QĐ-UBND."
    assert new.label in note and "bãi bỏ" in note


def test_new_and_unrelated_decisions_get_no_note(docs):
    by_number = _by_number(docs)
    for number in ("78/2025/QĐ-UBND", "5/2025/QĐ-UBND"):
        assert superseded_by(by_number[number], docs) == []
        assert replacement_note(by_number[number], docs) is None


def test_note_needs_both_documents_indexed(tmp_path):
    alone = _store(tmp_path, [parse_document(read_bytes(OLD.encode("utf-8"), "qd-17-2024.txt"), "qd-17-2024.txt")])
    (old,) = alone.values()
    assert replacement_note(old, alone) is None


def test_bundled_bac_ninh_decision_repeals_17_2024(tmp_path):
    """The corpus decision 78/2025 (its own wording) supersedes a 17/2024 we index beside it."""
    name = "qd-78-2025-ubnd-bacninh.md"
    real = parse_document(read_path(CORPUS / name), name)
    assert [(r.kind, r.target) for r in real.meta.relations] == [("repeals", "17/2024/QĐ-UBND")]
    docs = _store(tmp_path, [real, parse_document(read_bytes(OLD.encode("utf-8"), "qd-17-2024.txt"),
                                                  "qd-17-2024.txt")])
    old = _by_number(docs)["17/2024/QĐ-UBND"]
    assert replacement_note(old, docs) == (
        "Lưu ý: văn bản này đã bị bãi bỏ bởi Quyết định 78/2025/QĐ-UBND.")


def _doc(doc_id: str, number: str | None, relations=(), day: date | None = None) -> Doc:
    meta = DocumentMeta(doc_type="Quyết định", number=number, date=day, relations=tuple(relations))
    return Doc(doc_id, f"{doc_id}.txt", meta, "")


@pytest.mark.parametrize("target", [
    "17/2024/QĐ-UBND",
    "Quyết định số 17/2024/QĐ-UBND ngày 12/3/2024 của UBND tỉnh",
    "quyet dinh so 017 / 2024 / qd-ubnd",
    "Số: 17/2024/QĐ- UBND.",
])
def test_target_written_many_ways_matches_the_number(target):
    old = _doc("old", "17/2024/QĐ-UBND")
    new = _doc("new", "3/2025/QĐ-UBND", [Relation("replaces", target, (0, 1))])
    docs = {"old": old, "new": new}
    assert [other.id for other, _ in superseded_by(old, docs)] == ["new"]
    assert replacement_note(old, docs) == (
        "Lưu ý: văn bản này đã bị thay thế bởi Quyết định 3/2025/QĐ-UBND.")


@pytest.mark.parametrize(("number", "target"), [
    ("77/QĐ-UBND", "Quyết định số 77/QĐ-UBND"),  # no year: reused every year, never guessed
    ("17/2024/QĐ-UBND", "Quyết định số 17/QĐ-UBND ngày 12/3/2024"),
    ("17/2024/QĐ-UBND", "Quyết định ngày 12/3/2024 của UBND tỉnh"),  # a date is not a number
    ("17/2024/QĐ-UBND", "17/2023/QĐ-UBND"),
    ("17/2024/QĐ-UBND", "17/2024/QĐ-BNV"),
    ("17/2024/QĐ-UBND", "117/2024/QĐ-UBND"),
    ("17/2024/QĐ-UBND", "Quyết định số 9/QĐ-UBND sửa đổi Quyết định số 17/2024/QĐ-UBND"),
])
def test_partial_or_different_numbers_do_not_match(number, target):
    old = _doc("old", number)
    docs = {"old": old, "new": _doc("new", "3/2025/QĐ-UBND", [Relation("repeals", target, (0, 1))])}
    assert superseded_by(old, docs) == []
    assert replacement_note(old, docs) is None


def test_issued_by_and_self_references_are_not_supersession():
    old = _doc("old", "17/2024/QĐ-UBND", [Relation("repeals", "17/2024/QĐ-UBND", (0, 1))])
    plan = _doc("plan", None, [Relation("issued_by", "17/2024/QĐ-UBND", (0, 1))])
    assert superseded_by(old, {"old": old, "plan": plan}) == []


def test_strongest_kind_first_then_newest():
    old = _doc("old", "17/2024/QĐ-UBND")
    docs = {
        "old": old,
        "amend": _doc("amend", "2/2025/QĐ-UBND", [Relation("amends", "17/2024/QĐ-UBND", (0, 1))], date(2025, 1, 2)),
        "early": _doc("early", "9/2025/QĐ-UBND", [Relation("replaces", "17/2024/QĐ-UBND", (0, 1))], date(2025, 3, 1)),
        "late": _doc("late", "40/2025/QĐ-UBND", [Relation("replaces", "17/2024/QĐ-UBND", (0, 1))], date(2025, 9, 1)),
    }
    assert [other.id for other, _ in superseded_by(old, docs)] == ["late", "early", "amend"]
    assert replacement_note(old, docs) == (
        "Lưu ý: văn bản này đã bị thay thế bởi "
        "Quyết định 40/2025/QĐ-UBND; Quyết định 9/2025/QĐ-UBND.")
    only_amended = {k: v for k, v in docs.items() if k in ("old", "amend")}
    assert replacement_note(old, only_amended) == (
        "Lưu ý: văn bản này đã bị sửa đổi, bổ sung bởi Quyết định 2/2025/QĐ-UBND.")


_KINDS = st.sampled_from(["replaces", "repeals", "amends", "issues", "issued_by", ""])


@settings(max_examples=300, deadline=None)
@given(targets=st.lists(st.tuples(_KINDS, st.text(max_size=80)), max_size=6),
       number=st.one_of(st.none(), st.text(max_size=40), st.just("17/2024/QĐ-UBND")))
def test_arbitrary_targets_never_raise(targets, number):
    old = _doc("old", number)
    new = _doc("new", "3/2025/QĐ-UBND", [Relation(k, t, (0, 0)) for k, t in targets])
    docs = {"old": old, "new": new}
    pairs = superseded_by(old, docs)
    note = replacement_note(old, docs)
    assert all(rel.kind in ("replaces", "repeals", "amends") for _, rel in pairs)
    assert all(full_number_key(rel.target) == full_number_key(number) is not None for _, rel in pairs)
    assert (note is None) == (pairs == [])


def test_answers_about_a_repealed_decision_name_its_replacement(tmp_path):
    from assistant.services import Services
    from assistant.settings import Settings

    services = Services(Settings(data_dir=tmp_path / "data", embedder="fake"))
    for name, text in TEXTS.items():
        assert services.ingestor.ingest_bytes(text.encode("utf-8"), name).status == "added"
    old = services.answerer.answer("Quyết định 17/2024/QĐ-UBND có hiệu lực từ ngày nào?")
    assert old.status == "answered" and old.citations[0].source == "qd-17-2024.txt"
    assert "01 tháng 9 năm 2024" in old.answer
    assert "bãi bỏ bởi Quyết định 78/2025/QĐ-UBND" in old.answer
    new = services.answerer.answer("QĐ 78/2025/QĐ-UBND bãi bỏ văn bản nào?")
    assert new.status == "answered" and "17/2024/QĐ-UBND" in new.answer
    assert "Lưu ý" not in new.answer  # nothing indexed supersedes the new one
