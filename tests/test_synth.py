"""Generated pages: the parser's bars on pages nobody hand-labelled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsetl.decode import decode_bytes
from newsetl.scoring import Score, score_corpus
from newsetl.synth import GOLD, iter_pages, load_pool, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GOLD.exists():
        pytest.skip(f"gold file {GOLD} not present")
    out = tmp_path_factory.mktemp("generated")
    write_corpus(out, 50, seed=20240501)
    return out


@pytest.fixture(scope="module")
def generated_score(corpus: Path) -> Score:
    return score_corpus(corpus / "gold.json", corpus)


def test_generated_item_f1(generated_score: Score) -> None:
    assert generated_score.f1 >= 0.95, generated_score.misses[:20]


def test_generated_anomalies_found(generated_score: Score) -> None:
    assert generated_score.anomaly_recall >= 0.90, generated_score.misses[:20]


def test_corpus_layout(corpus: Path) -> None:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    assert len(gold["files"]) == 50
    assert all((corpus / name).exists() for name in gold["files"])
    encodings = {name.rsplit("_", 1)[1].removesuffix(".txt") for name in gold["files"]}
    assert {"utf-8", "gb18030"} <= encodings


def test_generation_is_reproducible_and_decodable() -> None:
    if not GOLD.exists():
        pytest.skip(f"gold file {GOLD} not present")
    pool = load_pool()
    first = list(iter_pages(5, seed=3, pool=pool))
    again = list(iter_pages(5, seed=3, pool=pool))
    assert first == again
    for name, data, entry in first:
        text, encoding = decode_bytes(data)
        assert name.endswith(f"_{encoding}.txt") or encoding == "utf-8-sig"
        assert entry["items"] and "\ufeff" not in text
