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


def test_a_run_is_named_after_itself_keeps_its_info_log_and_names_what_it_rejected(
    prefect_server, seeds_copy, tmp_path
):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterName,
        LogFilter,
        LogFilterFlowRunId,
    )

    from newsetl.orchestration.artifacts import RUN_KEY
    from newsetl.orchestration.ingest import run_ingest

    (seeds_copy / "broken.txt").write_bytes(bytes(range(256)) * 20)
    summary = run_ingest(str(seeds_copy), str(tmp_path / "news.duckdb"), str(tmp_path / "out"))
    name = f"ingest-{summary['run_id']}"

    async def read():
        async with get_client() as client:
            (run,) = await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name]))
            )
            for _ in range(40):  # the API log handler sends in the background
                logs = await client.read_logs(
                    log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))
                )
                if any("files:" in log.message for log in logs):
                    break
                await asyncio.sleep(0.5)
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))
            )
            return run, logs, tasks

    run, logs, tasks = asyncio.run(read())
    assert run.state.type.value == "COMPLETED" and run.state.name == "Rejected input"
    assert "newsetl" in run.tags
    assert any(t.startswith("inbox:") and t.endswith(seeds_copy.name) for t in run.tags)
    # The tags mark the flow run only: a tagged task run costs a concurrency-limit request.
    assert {t.name.split("-")[0] for t in tasks} >= {"scan_folder", "process_files", "load"}
    assert all(not t.tags for t in tasks)
    info = [log.message for log in logs if log.level == 20]
    assert any("files:" in m and "to load" in m for m in info), info[:5]
    (artifact,) = [a for a in _read(RUN_KEY) if summary["run_id"] in (a.description or "")]
    assert "broken.txt" in artifact.data and "binary" in artifact.data
    assert str(tmp_path / "out" / "index.html") in artifact.data
    report = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "broken.txt" in report and summary["run_id"] in report
    assert "1 quarantined" in report  # this run's counts, written before its etl_run row
    assert str(tmp_path / "news.duckdb") in report
