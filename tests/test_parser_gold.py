"""The parser against hand-made gold: the five seed pages, and pages it was not written on.

`tests/pages` holds sixteen pages written and annotated after the parser, in other genres,
regions and conventions (agency dispatches, notices and name lists, briefs, commentaries,
letters, features, indented pages, tables, jump lines), in three batches: each batch was
scored before the parser was extended for it (item F1 0.83, 0.55, 0.83), and the tests hold
the parser to its scores on all of them now.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsetl.devtools.scoring import FIELDS, Score, score_corpus

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "newsetl" / "devtools" / "seeds_gold.json"


@pytest.fixture(scope="module")
def seed_score() -> Score:
    if not GOLD.exists():
        pytest.skip(f"gold file {GOLD} not present")
    return score_corpus(GOLD, ROOT / "seeds")


def test_every_seed_item_found(seed_score: Score) -> None:
    assert seed_score.f1 == 1.0, seed_score.misses


@pytest.mark.parametrize("name", FIELDS)
def test_field_accuracy(seed_score: Score, name: str) -> None:
    assert seed_score.field_accuracy(name) >= 0.95, seed_score.misses


def test_anomalies_found_in_place(seed_score: Score) -> None:
    assert seed_score.anomaly_recall >= 0.90, seed_score.misses


def test_every_vocabulary_type_in_gold_is_found_at_least_once(seed_score: Score) -> None:
    assert all(seed_score.found_anomalies[t] for t in seed_score.gold_anomalies)


@pytest.fixture(scope="module")
def unseen_score() -> Score:
    pages = ROOT / "tests" / "pages"
    return score_corpus(pages / "gold.json", pages)


def test_items_of_unseen_pages_found(unseen_score: Score) -> None:
    assert unseen_score.f1 >= 0.95, unseen_score.misses


@pytest.mark.parametrize("name", FIELDS)
def test_field_accuracy_on_unseen_pages(unseen_score: Score, name: str) -> None:
    assert unseen_score.field_accuracy(name) >= 0.9, unseen_score.misses


def test_anomalies_of_unseen_pages(unseen_score: Score) -> None:
    assert unseen_score.anomaly_recall >= 0.8, unseen_score.misses
    assert unseen_score.anomaly_precision >= 0.75, unseen_score.unexplained
