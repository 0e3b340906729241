"""The quality stage publishes its summary and anomalies as Prefect artifacts."""

from __future__ import annotations

import asyncio

from prefect import flow

from newsetl.orchestration.artifacts import ANOMALIES_KEY, SUMMARY_KEY, check_and_report


def _read(key: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def read():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
            )

    return asyncio.run(read())


def test_run_publishes_summary_and_anomaly_table(seeded_warehouse, tmp_path):
    db, _ = seeded_warehouse
    copy = tmp_path / "news.duckdb"
    copy.write_bytes(db.read_bytes())

    @flow(name="newsetl-quality-test")
    def stage() -> str:
        checks, _path = check_and_report(copy, "artifact-run", tmp_path / "reports")
        return checks.message

    message = stage()
    summary = [a for a in _read(SUMMARY_KEY) if "artifact-run" in (a.description or "")]
    table = [a for a in _read(ANOMALIES_KEY) if "artifact-run" in (a.description or "")]
    assert len(summary) == 1 and len(table) == 1
    assert summary[0].type == "markdown" and table[0].type == "table"
    assert "duplicated_block" in summary[0].data
    assert message.split(",")[0].split()[0] in summary[0].data  # the check count
    rows = (
        table[0].data
        if isinstance(table[0].data, list)
        else __import__("json").loads(table[0].data)
    )
    assert {r["type"] for r in rows} >= {"duplicated_block", "join_char_repeat"}
    assert (tmp_path / "reports" / "gx" / "index.html").exists()
