"""What a run did, in numbers: the counts a batch adds up, etl_run keeps and the summary shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any

# Outcomes of a file that a batch reports (etl_file_outcome.outcome), each a count here.
BATCH_OUTCOMES = ("loaded", "changed", "quarantined")


@dataclass
class RunCounts:
    """Files by what the run did with them, rows loaded and rejected, anomalies by type."""

    seen: int = 0
    loaded: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    quarantined: int = 0
    skipped: int = 0  # entries of the folder that are not page files
    removal_held: int = 0  # files gone from the folder but not marked removed
    items: int = 0
    paragraphs: int = 0
    rejected_items: int = 0
    rejected_rows: int = 0
    bytes: int = 0
    anomalies: Counter[str] = field(default_factory=Counter)

    def add(self, other: RunCounts) -> None:
        """Add another's counts (a batch's) to these."""
        for f in fields(self):
            if f.name == "anomalies":
                self.anomalies.update(other.anomalies)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def changed_data(self) -> bool:
        """Whether the run changed what the warehouse holds of the folder."""
        return bool(self.loaded or self.changed or self.quarantined or self.removed)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: every count, anomalies as {type: n}."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["anomalies"] = dict(sorted(self.anomalies.items()))
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RunCounts:
        """Counts from `as_dict` output."""
        known = {f.name for f in fields(cls)}
        counts = cls(**{k: v for k, v in values.items() if k in known and k != "anomalies"})
        counts.anomalies.update(values.get("anomalies", {}))
        return counts
