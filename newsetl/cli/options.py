"""What the commands share: the options, the console, one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from newsetl.source.pagefiles import DEFAULT_PATTERN

if TYPE_CHECKING:
    from newsetl.orchestration.runtime import LocalAPI

__all__ = ["DEFAULT_PATTERN"]

DEFAULT_DB = Path("warehouse/news.duckdb")

console = Console(stderr=True)

SeedsOpt = Annotated[Path, typer.Option("--seeds", help="Folder of page files to ingest.")]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB warehouse file.")]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for the HTML report.")]
PatternOpt = Annotated[
    str,
    typer.Option(
        "--pattern",
        help="Names of the page files in the folder (any case; hidden, partial and backup "
        "names are never read).",
    ),
]
AllowRemovalOpt = Annotated[
    bool,
    typer.Option(
        "--allow-removal",
        help="Mark the folder's vanished pages removed even when the folder is missing or "
        "empty, or more than half of its pages are gone (otherwise none are).",
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear sentence (on one line, however long) and return the exit to raise."""
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def wait_for_local_api(api: LocalAPI) -> None:
    """Wait for the local Prefect API started with the command, or exit with why it failed."""
    with console.status(
        "Starting Prefect's local API (set PREFECT_API_URL to use a running server instead)…"
    ):
        try:
            api.wait()
        except (TimeoutError, RuntimeError) as exc:
            raise fail(str(exc)) from None
