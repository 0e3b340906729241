"""Generated pages: the parser's bars on pages nobody hand-labelled."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsetl.devtools.scoring import Score, score_corpus
from newsetl.devtools.synth import (
    GOLD,
    NEVER_DOUBLED,
    Para,
    _double,
    _drop_quote,
    _traditional,
    iter_pages,
    load_pool,
    write_corpus,
)
from newsetl.parsing import parse_page
from newsetl.source.decode import decode_bytes
from tests.conftest import SEEDS as PAGES

SEEDS = (20240501, 7, 99)
INJECTED = (
    "broken_paragraph",
    "join_char_repeat",
    "duplicated_block",
    "orphan_headline",
    "interleaved_article",
    "truncated_article",
    "traditional_chars",
    "inline_char_repeat",
    "unbalanced_quotes",
    "mixed_punctuation_width",
)


def _need_gold() -> None:
    if not GOLD.exists():
        pytest.skip(f"gold file {GOLD} not present")


@pytest.fixture(scope="module", params=SEEDS)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_gold()
    out = tmp_path_factory.mktemp(f"generated_{request.param}")
    write_corpus(out, 100, PAGES, seed=request.param)
    return out


@pytest.fixture(scope="module")
def generated_score(corpus: Path) -> Score:
    return score_corpus(corpus / "gold.json", corpus)


def test_generated_item_f1(generated_score: Score) -> None:
    assert generated_score.f1 >= 0.95, generated_score.misses[:20]


@pytest.mark.parametrize("kind", INJECTED)
def test_every_injected_type_found(generated_score: Score, kind: str) -> None:
    assert generated_score.gold_anomalies[kind] > 0, f"no {kind} injected"
    assert generated_score.type_recall(kind) >= 0.90, [
        m for m in generated_score.misses if kind in m
    ][:10]


def test_few_anomalies_nobody_injected(generated_score: Score) -> None:
    assert generated_score.anomaly_precision >= 0.95, generated_score.unexplained[:20]


def test_corpus_layout(corpus: Path) -> None:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    assert len(gold["files"]) == 100
    assert all((corpus / name).exists() for name in gold["files"])
    encodings = {name.rsplit("_", 1)[1].removesuffix(".txt") for name in gold["files"]}
    assert {"utf-8", "gb18030"} <= encodings
    assert any(len(entry["items"]) == 1 for entry in gold["files"].values())


def test_generation_is_reproducible_and_decodable() -> None:
    _need_gold()
    pool = load_pool(PAGES)
    first = list(iter_pages(5, seed=3, pool=pool))
    again = list(iter_pages(5, seed=3, pool=pool))
    assert first == again
    for name, data, entry in first:
        text, encoding = decode_bytes(data)
        assert name.endswith(f"_{encoding}.txt") or encoding == "utf-8-sig"
        assert entry["items"] and "\ufeff" not in text
        for a in entry["anomalies"]:
            variants = {a["snippet"], a["snippet"].replace("\n", "\r\n")}
            assert any(v in text for v in variants), a


def test_paragraph_damage_is_recorded_where_it_is() -> None:
    rng = random.Random(1)
    text = "该区“制定实施方案”并配套任务清单，聚焦新理念和新要求，及时召开工作推进会。"
    para = Para(text)
    assert _drop_quote(para)
    _double(rng, para)
    _traditional(rng, para)
    kinds = [a["type"] for a in para.anomalies]
    assert kinds == ["unbalanced_quotes", "inline_char_repeat", "traditional_chars"]
    for a in para.anomalies:
        assert a["snippet"] in para.text
    doubled = para.anomalies[1]["snippet"]
    assert any(c + c in doubled for c in NEVER_DOUBLED) or any(
        doubled[i : i + 2] == doubled[i + 2 : i + 4] for i in range(len(doubled) - 3)
    )
    flagged = {a.type for a in parse_page(f"标题\n\n本报讯（记者朱江森）{para.text}\n").anomalies}
    assert {"inline_char_repeat", "traditional_chars", "unbalanced_quotes"} <= flagged
