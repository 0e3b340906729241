"""Batches processed on a Dask cluster, or by local worker processes, load the same rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newsetl.orchestration.ingest import run_ingest
from newsetl.warehouse import store
from tests.conftest import SEEDS

RUN_COLUMNS = {"dim_source_file": "EXCLUDE (loaded_run, loaded_at)"}


def _data(db: Path) -> dict[str, list[tuple]]:
    """Every data table's rows, leaving out when and by which run a file was loaded."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT * {RUN_COLUMNS.get(t, '')} FROM {t} ORDER BY ALL").fetchall()
            for t in store.DATA_TABLES
        }
    finally:
        con.close()


def test_dask_runner_loads_the_same_rows_as_the_default(seeded_warehouse, tmp_path):
    from distributed import Client, LocalCluster

    reference, _ = seeded_warehouse
    db = tmp_path / "news.duckdb"
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        summary = run_ingest(
            str(SEEDS),
            str(db),
            str(tmp_path / "reports"),
            batch_size=2,
            runner="dask",
            address=cluster.scheduler_address,
        )
        keys = client.run_on_scheduler(
            lambda dask_scheduler: {t[0] for t in dask_scheduler.transition_log}
        )
    assert summary["status"] == "completed"
    assert summary["counts"]["loaded"] == 5
    assert len({k for k in keys if str(k).startswith("process_files")}) == 3  # 5 files, 2 a batch
    assert _data(db) == _data(reference)


def test_local_worker_processes_load_the_same_rows_as_inline(seeded_warehouse, tmp_path):
    reference, _ = seeded_warehouse
    db = tmp_path / "news.duckdb"
    summary = run_ingest(str(SEEDS), str(db), str(tmp_path / "reports"), batch_size=2, workers=2)
    assert summary["counts"]["loaded"] == 5
    assert summary["stages"]["decode_parse"] > 0 and summary["stages"]["load"] > 0
    assert summary["bytes"] == sum(p.stat().st_size for p in SEEDS.iterdir())
    assert _data(db) == _data(reference)


def test_dask_runner_needs_an_address(prefect_server, tmp_path):
    with pytest.raises(ValueError, match="address"):
        run_ingest(str(SEEDS), str(tmp_path / "db.duckdb"), str(tmp_path), runner="dask")
    with pytest.raises(ValueError, match="Unknown runner"):
        run_ingest(str(SEEDS), str(tmp_path / "db.duckdb"), str(tmp_path), runner="ray")
