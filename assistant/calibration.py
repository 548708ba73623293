"""Calibrated thresholds, in one place, tied to the embedder they were measured with.

Dense similarities mean different things for different models (e5-small's cosines sit between
0.8 and 0.9): a threshold measured for one model is wrong for another. ``calibration_for``
returns the figures measured for the embedder in use; an embedder without its own measures
gets e5-small's, with ``measured=False`` so the server can say so in its logs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import PurePath

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Calibration:
    embedder: str
    measured: bool = True
    # Weak evidence: below both dense_min and bm25_min over the first ten hits.
    dense_min: float = 0.86
    bm25_min: float = 8.0
    # Off topic: below dense_topic, under `coverage` of the question's topic words in the best
    # chunk (under `coverage_plain` for a question typed without diacritics). Answerable example
    # questions sat at >= 0.75 coverage whenever their dense score was below 0.865; off-topic
    # ones at <= 0.67.
    dense_topic: float = 0.865
    coverage: float = 0.7
    coverage_plain: float = 0.5
    # Re-ranking the head of the fused list: best-sentence evidence against fused rank
    # (0.3–0.8 tried), and the share of an article title's words in the question (0, 0.5, 1 tried).
    rerank_weight: float = 0.5
    title_weight: float = 1.0
    # Two task rows tie when their fused scores are this close (relative) and their dense
    # similarities this close (absolute).
    tie_rrf: float = 0.995
    tie_dense: float = 0.005
    # A tie is decided for the first row when its re-rank score leads by this share; otherwise
    # the rows are named and none is chosen. On the example sets' ties the right row led by 4.4 %
    # and more, and a wrong one by 4 %: too few to fit, so a round figure between them.
    tie_margin: float = 0.05


# Measured on the example question sets with multilingual-e5-small (fp32, ONNX Runtime and torch
# give the same vectors).
E5_SMALL = Calibration("multilingual-e5-small")

CALIBRATIONS: dict[str, Calibration] = {
    E5_SMALL.embedder: E5_SMALL,
    # The hashing embedder of the tests: its similarities carry no meaning, so the e5 figures
    # are kept only to exercise the same mechanics.
    "fake": replace(E5_SMALL, embedder="fake", measured=False),
}


def calibration_for(embedder_name: str) -> Calibration:
    """The calibration of an embedder named by its model folder, model name or "fake-N"."""
    name = PurePath(embedder_name).name
    for key in (name, name.split("-int8")[0], name.split("-")[0]):
        if key in CALIBRATIONS:
            return CALIBRATIONS[key]
    log.warning("no calibration measured for embedder %s: using %s's", embedder_name, E5_SMALL.embedder)
    return replace(E5_SMALL, embedder=name, measured=False)
