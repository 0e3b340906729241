"""Deployments: prefect.yaml and `newsetl serve` agree; maintenance flows; a real deploy and run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from newsetl.orchestration.deployments import DEPLOYMENTS, WORK_POOL, runner_deployments
from tests.conftest import count

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOLD_ITEMS = 41


def test_prefect_yaml_declares_the_same_deployments():
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    declared = {d["name"]: d for d in config["deployments"]}
    assert list(declared) == [s.name for s in DEPLOYMENTS]
    for spec in DEPLOYMENTS:
        d = declared[spec.name]
        assert d["entrypoint"] == spec.entrypoint
        assert d["description"] == spec.description
        assert d["parameters"] == spec.parameters
        assert d["schedules"] == [spec.schedule()]
        assert d["concurrency_limit"] == spec.concurrency_limit
        assert d["work_pool"]["name"] == WORK_POOL
        assert (REPO / spec.entrypoint.split(":")[0]).is_file()
    (step,) = config["pull"]
    assert "prefect.deployments.steps.set_working_directory" in step


def test_serve_builds_the_same_deployments_with_absolute_paths(tmp_path):
    built = runner_deployments(
        tmp_path / "in", tmp_path / "news.duckdb", tmp_path / "out", pattern="*.TXT"
    )
    assert [d.name for d in built] == [s.name for s in DEPLOYMENTS]
    for d, spec in zip(built, DEPLOYMENTS, strict=True):
        assert d.flow_name == spec.flow_name
        assert set(d.parameters) == set(spec.parameters)
        paths = {k: v for k, v in d.parameters.items() if k != "pattern"}
        assert all(Path(v).is_absolute() and str(tmp_path) in v for v in paths.values())
        assert d.parameters.get("pattern", "*.TXT") == "*.TXT"
        (schedule,) = d.schedules
        if spec.interval:
            assert schedule.schedule.interval == dt.timedelta(seconds=spec.interval)
        else:
            assert schedule.schedule.cron == spec.cron
        assert d.concurrency_limit == spec.concurrency_limit


def test_report_and_recheck_flows(seeded_warehouse, tmp_path):
    from newsetl.orchestration.maintenance import recheck, report

    source, _ = seeded_warehouse
    db = tmp_path / "news.duckdb"
    shutil.copyfile(source, db)
    out = tmp_path / "reports"
    assert Path(report(db=str(db), reports=str(out))) == out / "index.html"
    assert (out / "index.html").stat().st_size > 1000

    before = count(db, "SELECT count(*) FROM dq_run")
    result = recheck(db=str(db), reports=str(out))
    assert result["checks"]["checks"] > 0
    assert count(db, "SELECT count(*) FROM dq_run") == before + 1
    assert count(db, f"SELECT count(*) FROM dq_result WHERE dq_run_id LIKE '{result['run_id']}%'")


def test_report_and_recheck_before_any_ingest_fail_in_one_line(prefect_server, tmp_path):
    from newsetl.orchestration.maintenance import recheck, report

    db = tmp_path / "wh" / "news.duckdb"
    for flow in (report, recheck):
        state = flow(db=str(db), reports=str(tmp_path / "reports"), return_state=True)
        assert state.is_failed()
        assert state.message == (
            f"No warehouse at {db} yet: run `newsetl run` (or the ingest deployment) first."
        )
    assert not db.parent.exists()  # nothing was made in its place


def test_serve_without_a_server_says_what_it_needs(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run(
        [str(BIN / "newsetl"), "serve", "--db", str(tmp_path / "news.duckdb")],
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "needs a Prefect server" in done.stderr
    assert "prefect server start" in done.stderr


# A real Prefect server, `prefect deploy --all`, a process worker and a triggered run.


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "the Prefect server exited"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the Prefect server was not healthy within {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory) -> dict[str, str]:
    """Environment pointing at a real `prefect server start` on loopback (no scheduler)."""
    home = tmp_path_factory.mktemp("prefect_home")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Scheduled runs would use the deployments' default paths: only triggered runs here.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_healthy(env["PREFECT_API_URL"], server, timeout=120)
        yield env
    finally:
        _stop(server)
        log.close()


def _prefect(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [str(BIN / "prefect"), "--no-prompt", *args],
        cwd=REPO,
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_deploy_all_and_run_ingest_on_a_worker(prefect_api, seeds_copy, tmp_path):
    env = prefect_api
    _prefect(env, "work-pool", "create", WORK_POOL, "--type", "process")
    out = _prefect(env, "deploy", "--all")
    for spec in DEPLOYMENTS:
        assert f"'{spec.flow_name}/{spec.name}' successfully created" in out

    # Workers run flows in NEWSETL_HOME: a folder holding the flows and nothing else of ours.
    home = tmp_path / "home"
    home.mkdir()
    (home / "newsetl").symlink_to(REPO / "newsetl")
    worker_log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(BIN / "prefect"), "worker", "start", "--pool", WORK_POOL],
        env={**env, "NEWSETL_HOME": str(home), "PREFECT_WORKER_QUERY_SECONDS": "2"},
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    db = tmp_path / "wh" / "news.duckdb"
    try:
        ingest = DEPLOYMENTS[0]
        run = _prefect(
            env,
            "deployment", "run", f"{ingest.flow_name}/{ingest.name}",
            "--param", f"seeds={seeds_copy}",
            "--param", f"db={db}",
            "--param", f"reports={tmp_path / 'reports'}",
            "--watch", "--watch-timeout", "300",
            timeout=360,
        )  # fmt: skip
        assert "Flow run finished successfully in 'Completed'" in run
    finally:
        _stop(worker)
        worker_log.close()
    assert count(db, "SELECT count(*) FROM fact_article") == GOLD_ITEMS
    assert count(db, "SELECT count(*) FROM etl_run WHERE status = 'completed'") == 1
    assert (tmp_path / "reports" / "index.html").is_file()
    assert not (home / "warehouse").exists()
