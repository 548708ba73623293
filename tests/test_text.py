"""Normalisation: NFC, one tone-mark placement, offsets back to the original."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.text import fold, key, normalize, normalize_with_map

VIET = st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđAĐOUY hòàáảãạọốồổỗộớờởỡợúùủũụưừứửữựỳýỷỹỵ\u0300\u0301\u0309\u0303\u0323\n\r\t.,;:-0123456789")), max_size=80)


def test_tone_placement_compares_equal():
    assert normalize("hoà") == normalize("hòa") == "hòa"
    assert normalize("thuỷ") == "thủy" and normalize("Uỷ ban") == "Ủy ban"
    assert normalize("quý") == "quý"  # qu + y: the tone stays on y
    assert normalize("hoàng") == "hoàng"  # a closed syllable keeps it
    assert normalize(unicodedata.normalize("NFD", "Văn phòng Chính phủ")) == "Văn phòng Chính phủ"


def test_fold_and_key():
    assert fold("Bộ Nội vụ") == "bo noi vu"
    assert key("Văn phòng  Chính phủ;") == key("van phong chinh phu")


@settings(max_examples=300, deadline=None)
@given(VIET)
def test_normalize_is_idempotent_and_maps_back(text):
    norm, offsets = normalize_with_map(text)
    assert normalize(norm) == norm
    assert unicodedata.is_normalized("NFC", norm)
    assert len(offsets) == len(norm) + 1
    assert list(offsets) == sorted(offsets) and offsets[-1] == len(text)
    assert all(0 <= o <= len(text) for o in offsets)
    assert "\r" not in norm
