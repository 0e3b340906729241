"""Process settings applied before Prefect is imported, and Prefect's local API."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

PREFECT_DEFAULTS = {
    # No telemetry: the machines this runs on often have no internet.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary local API takes 12-22 s to start on a small machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # The run's log goes to the API at INFO; Prefect's terminal handler shows warnings only
    # (the command prints its own summary).
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
    # newsetl's own log lines (the writer lock's waits, say) reach the run logs.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "newsetl",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


class OneLineErrors(logging.Filter):
    """Keeps the log of an expected error (a busy warehouse, a full disk, a folder that cannot
    be read) and its traceback off the terminal, where the command says it in one line. It
    sits on the root logger's terminal handler only: the run's log in Prefect keeps it all."""

    def __init__(self, expected: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.expected = expected

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, self.expected)


def quiet_expected_tracebacks(expected: tuple[type[BaseException], ...]) -> None:
    """Add `OneLineErrors` to the terminal handlers Prefect set up (on the root logger)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and not any(
            isinstance(f, OneLineErrors) for f in handler.filters
        ):
            handler.addFilter(OneLineErrors(expected))


def stop_signals() -> tuple[type[BaseException], ...]:
    """What a Ctrl-C or a termination signal raises in a process running flows (Prefect
    raises its TerminationSignal on SIGTERM during a run)."""
    from prefect.exceptions import TerminationSignal

    return (KeyboardInterrupt, TerminationSignal)


# Prefect's background senders (named after their classes) say on the terminal that they
# are still flushing when the process ends; the run's log is complete either way.
QUIET_LOGGERS = ("EventsWorker", "APILogWorker")


def configure_prefect() -> bool:
    """Apply newsetl's Prefect defaults (user settings win); True when no API server is set."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    return not os.environ.get("PREFECT_API_URL")


# What Prefect sets for the temporary server it starts itself: no UI, and only the services
# a temporary server runs (task-run recording, events), not the scheduler and the others.
_LOCAL_API_ENV = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
}


_PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


def _die_with_parent() -> None:
    """In a child process: be sent SIGTERM when the parent dies, even when it is killed."""
    with contextlib.suppress(OSError, AttributeError):  # Linux only
        ctypes.CDLL("libc.so.6").prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class LocalAPI:
    """Prefect's temporary local API for one command, started before Prefect is imported.

    It is the server Prefect starts by itself when no PREFECT_API_URL is set (Prefect's app,
    its database under PREFECT_HOME), launched first: it boots in its own process while this
    one imports the pipeline, and this process never imports the server's code. Prefect
    finds it through PREFECT_API_URL; it stops when this process exits, after Prefect has
    flushed its logs and events to it, and is terminated if this process is killed.
    """

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        command = [sys.executable, "-m", "uvicorn", "--factory"]
        command += ["prefect.server.api.server:create_app", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "error", "--lifespan", "on"]
        self.process = subprocess.Popen(
            command, env={**os.environ, **_LOCAL_API_ENV}, preexec_fn=_die_with_parent
        )
        os.environ["PREFECT_API_URL"] = self.url
        atexit.register(self.stop)  # registered before Prefect's own handlers, so run after

    def wait(self, timeout: float | None = None) -> None:
        """Block until the server answers; raise if it exits or takes too long."""
        if timeout is None:
            timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
        deadline = time.monotonic() + timeout
        while (code := self.process.poll()) is None:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"Prefect's local API did not answer within {timeout:.0f} s.")
            time.sleep(0.1)
        raise RuntimeError(f"Prefect's local API exited with code {code} before it answered.")

    def stop(self) -> None:
        """Stop the server (a no-op once stopped)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if os.environ.get("PREFECT_API_URL") == self.url:
            del os.environ["PREFECT_API_URL"]


def start_prefect(runner: str = "local") -> LocalAPI | None:
    """Apply newsetl's Prefect defaults and, when no API server is set, start a local one.

    Dask workers report to the API, and cannot reach one on this machine's loopback: the
    Dask runner needs a server set, and raises ValueError without one.
    """
    if not configure_prefect():
        return None
    if runner == "dask":
        raise ValueError(
            "The Dask runner needs a Prefect server its workers can reach: start one "
            "(`prefect server start`) and set PREFECT_API_URL."
        )
    return LocalAPI()
