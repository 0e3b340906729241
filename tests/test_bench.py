"""`newsetl bench` on a tiny corpus: real flow runs, numbers reported (never timed here)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from newsetl.cli.app import app
from newsetl.devtools import bench
from newsetl.warehouse import ledger
from tests.conftest import SEEDS


def test_bench_ingests_a_generated_corpus_twice_and_reports(prefect_server, tmp_path):
    work = tmp_path / "bench"
    result = CliRunner().invoke(
        app, ["bench", "--sizes", "1", "--work", str(work), "--batch-size", "20"]
    )
    assert result.exit_code == 0, result.output
    assert "end to end" in result.output and "re-run" in result.output

    saved = json.loads((work / "results.json").read_text(encoding="utf-8"))
    assert saved["machine"]["cores"] and saved["machine"]["duckdb"]
    [size] = saved["results"]
    pages = work / "corpus_1mb" / "pages"
    files = list(pages.iterdir())
    assert size["files"] == len(files) > 20  # more than one batch: the worker processes ran
    assert not (pages / "gold.json").exists() and (work / "corpus_1mb" / "gold.json").exists()
    assert 0.9 < size["mb"] < 1.3
    assert size["status"] == "completed" and size["items"] > size["files"]
    assert size["extra"]["rerun_unchanged"] == size["files"]
    assert set(size["stages"]) == set(ledger.STAGES)
    for stage in ("decode_parse", "segment", "validate", "load", "checks", "report"):
        assert size["stages"][stage] > 0, stage
    assert size["peak_rss_mb"] > 50 and size["mb_per_s"] > 0
    assert 50 < size["extra"]["peak_pss_mb"] <= size["peak_rss_mb"]
    extra = size["extra"]
    assert extra["jieba_seconds"] > 0 and "against plain jieba" in result.output
    assert extra["vs_jieba"] == extra["jieba_seconds"] / size["seconds"]


def test_bench_keeps_its_corpus(tmp_path):
    pages = bench.corpus(tmp_path, 1, SEEDS, seed=3)
    made = {p.name: p.stat().st_mtime_ns for p in pages.iterdir()}
    assert bench.corpus(tmp_path, 1, SEEDS, seed=3) == pages
    assert {p.name: p.stat().st_mtime_ns for p in pages.iterdir()} == made


def test_bench_rejects_bad_sizes(tmp_path):
    result = CliRunner().invoke(app, ["bench", "--sizes", "ten", "--work", str(tmp_path)])
    assert result.exit_code == 1
    assert "whole numbers" in result.output
