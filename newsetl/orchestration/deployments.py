"""The deployments of newsetl: names, flows, schedules and parameters, in one place.

`prefect.yaml` declares the same deployments for `prefect deploy` (a test keeps the two equal);
`newsetl serve` builds them from here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsetl.source.pagefiles import DEFAULT_PATTERN

WORK_POOL = "newsetl"
DEFAULT_PARAMETERS = {
    "seeds": "seeds",
    "db": "warehouse/news.duckdb",
    "reports": "reports",
}


@dataclass(frozen=True)
class DeploymentSpec:
    """One deployment: which flow, when, with what parameters."""

    name: str
    entrypoint: str  # path/to/file.py:flow_function, relative to the repository
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)
    interval: int | None = None  # seconds
    cron: str | None = None  # UTC
    concurrency_limit: int = 1

    @property
    def flow_name(self) -> str:
        return self.load_flow().name

    def load_flow(self) -> Any:
        """The Prefect flow object of the entrypoint."""
        path, attr = self.entrypoint.split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        return getattr(module, attr)

    def schedule(self) -> dict[str, Any]:
        """The schedule as `prefect.yaml` writes it."""
        return {"interval": self.interval} if self.interval else {"cron": self.cron}


DEPLOYMENTS = (
    DeploymentSpec(
        name="ingest",
        entrypoint="newsetl/orchestration/ingest.py:ingest",
        description="Scan the inbox every 2 minutes and load new or changed pages.",
        parameters={**DEFAULT_PARAMETERS, "pattern": DEFAULT_PATTERN},
        interval=120,
    ),
    DeploymentSpec(
        name="report",
        entrypoint="newsetl/orchestration/maintenance.py:report",
        description="Rewrite the data-quality report every night.",
        parameters={k: DEFAULT_PARAMETERS[k] for k in ("db", "reports")},
        cron="0 2 * * *",
    ),
    DeploymentSpec(
        name="textrank",
        entrypoint="newsetl/orchestration/maintenance.py:rank_textrank",
        description="Rank the articles loaded since the last night by TextRank, every night.",
        parameters={k: DEFAULT_PARAMETERS[k] for k in ("db", "reports")},
        cron="30 1 * * *",
    ),
    DeploymentSpec(
        name="recheck",
        entrypoint="newsetl/orchestration/maintenance.py:recheck",
        description="Re-run every data-quality check on the whole warehouse every Sunday.",
        parameters={k: DEFAULT_PARAMETERS[k] for k in ("db", "reports")},
        cron="0 3 * * 0",
    ),
)


def runner_deployments(
    seeds: Path, db: Path, reports: Path, pattern: str = DEFAULT_PATTERN
) -> list[Any]:
    """The deployments for `prefect.serve`, with absolute paths as their parameters."""
    values = {
        "seeds": str(seeds.resolve()),
        "db": str(db.resolve()),
        "reports": str(reports.resolve()),
        "pattern": pattern,
    }
    out = []
    for spec in DEPLOYMENTS:
        parameters = {k: values[k] for k in spec.parameters}
        out.append(
            spec.load_flow().to_deployment(
                name=spec.name,
                description=spec.description,
                parameters=parameters,
                interval=spec.interval,
                cron=spec.cron,
                concurrency_limit=spec.concurrency_limit,
            )
        )
    return out


def serve_deployments(deployments: list[Any]) -> None:
    """Serve the deployments from this process, one run at a time, until stopped."""
    from prefect import serve

    serve(*deployments, limit=1)
