"""Prefect's local API started with a command: a real server, stopped when the command ends."""

from __future__ import annotations

import os
import subprocess
import sys

import psutil
import pytest

COMMAND = """
from newsetl.orchestration.runtime import start_prefect
api = start_prefect()
from prefect import flow
api.wait(300)

@flow
def answer() -> int:
    return 42

print(answer(), api.url, api.process.pid)
"""


def test_local_api_serves_the_command_and_stops_with_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # its own database, created on start
    done = subprocess.run(
        [sys.executable, "-c", COMMAND], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    value, url, pid = done.stdout.split()[-3:]
    assert value == "42" and url.startswith("http://127.0.0.1:") and url.endswith("/api")
    assert (tmp_path / "prefect" / "prefect.db").exists()  # the run was recorded there
    assert not psutil.pid_exists(int(pid))


def test_the_dask_runner_needs_a_server_it_can_reach(monkeypatch):
    from newsetl.orchestration.runtime import start_prefect

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with pytest.raises(ValueError, match="PREFECT_API_URL"):
        start_prefect("dask")
    monkeypatch.setenv("PREFECT_API_URL", "http://scheduler-host:4200/api")
    assert start_prefect("dask") is None


STARTS_AND_SLEEPS = """
import time
from newsetl.orchestration.runtime import start_prefect
print(start_prefect().process.pid, flush=True)
time.sleep(600)
"""


def test_the_local_api_dies_with_a_killed_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    command = subprocess.Popen(
        [sys.executable, "-c", STARTS_AND_SLEEPS], env=env, stdout=subprocess.PIPE, text=True
    )
    server = psutil.Process(int(command.stdout.readline()))
    command.kill()  # SIGKILL: no exit handler runs
    command.wait()
    server.wait(timeout=30)
    assert not server.is_running()


def test_workers_yield_the_cpu_to_the_writer_and_never_import_prefect():
    from newsetl.orchestration.tasks import WORKER_NICENESS, worker_pool

    with worker_pool(2) as pool:
        niceness = pool.submit(os.nice, 0).result()
        imported = pool.submit(_imported, ("prefect", "newsetl.orchestration")).result()
    assert niceness == min(os.nice(0) + WORKER_NICENESS, 19)
    assert imported == {"prefect": False, "newsetl.orchestration": False}


def _imported(modules: tuple[str, ...]) -> dict[str, bool]:
    """Which of `modules` this process has imported."""
    return {m: m in sys.modules for m in modules}
