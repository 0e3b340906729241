"""Process settings applied before Prefect is imported."""

from __future__ import annotations

import os

PREFECT_DEFAULTS = {
    # No telemetry: the machines this runs on often have no internet.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary local API takes 12-22 s to start on a small machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
    # newsetl's own log lines (the writer lock's waits, say) reach the run logs.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "newsetl",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


def configure_prefect() -> bool:
    """Apply newsetl's Prefect defaults (user settings win); True when no API server is set."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    return not os.environ.get("PREFECT_API_URL")
