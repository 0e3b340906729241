"""Shared fixtures: one real Prefect test server per session, a seeded warehouse."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from newsetl.orchestration.runtime import configure_prefect
from newsetl.warehouse import store

configure_prefect()
# CI explores the same examples every time, so a red build always means a changed result;
# local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of one query on a warehouse file, opened read-only."""
    with store.connection(db, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def count(db: Path, sql: str) -> int:
    """The single number a counting query returns."""
    return rows(db, sql)[0][0]


@pytest.fixture(scope="session")
def prefect_server():
    """A real Prefect API (temporary database) shared by every flow test."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed pages that a test may change."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def seeded_warehouse(prefect_server, tmp_path_factory) -> tuple[Path, dict]:
    """A warehouse loaded from the seed pages by the real ingest flow, and the run summary."""
    from newsetl.orchestration.ingest import ingest

    root = tmp_path_factory.mktemp("seeded")
    db = root / "news.duckdb"
    summary = ingest(seeds=str(SEEDS), db=str(db), reports=str(root / "reports"))
    return db, summary
