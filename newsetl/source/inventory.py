"""The folder against the warehouse: which page files are new, changed, unchanged or gone."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from newsetl.source import pagefiles
from newsetl.source.pagefiles import Skipped, UnreadablePage


@dataclass(frozen=True)
class FileEntry:
    """A page file found in the folder."""

    path: str  # relative to the folder, with forward slashes, printable (pagefiles.PageFile)
    sha256: str | None  # None: the file could not be read at the scan
    size_bytes: int
    os_path: str  # relative to the folder, as the file system spells it


@dataclass
class ScanPlan:
    """What a run has to do with each file of the folder."""

    new: list[FileEntry] = field(default_factory=list)
    changed: list[FileEntry] = field(default_factory=list)
    unchanged: list[FileEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rejected: list[FileEntry] = field(default_factory=list)  # quarantined before, same content
    skipped: list[Skipped] = field(default_factory=list)  # entries that are not page files
    folders: list[str] = field(default_factory=list)  # the folder's names (store.folder_names)
    held: list[str] = field(default_factory=list)  # gone from the folder, but not removed
    hold_reason: str | None = None  # why they were not removed

    @property
    def to_load(self) -> list[FileEntry]:
        return self.new + self.changed

    @property
    def seen(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged) + len(self.rejected)


@dataclass(frozen=True)
class Known:
    """What the warehouse holds of a folder (`newsetl.warehouse.store.known_files`)."""

    folders: list[str]  # the names under which runs recorded the folder
    current: dict[str, str]  # sha256 of the current version, by path
    quarantined: dict[str, str]  # sha256 of the version last quarantined, by path


def scan(
    folder: Path,
    known: Known,
    pattern: str = pagefiles.DEFAULT_PATTERN,
    allow_removal: bool = False,
) -> ScanPlan:
    """Compare the folder's page files with the warehouse's current files of that folder.

    Files gone from the folder are to be marked removed, unless the folder is missing or
    empty, or more than half of its current pages are gone: then nothing is removed and the
    plan says why (`hold_reason`), unless `allow_removal`.
    """
    loaded, rejected = known.current, known.quarantined
    if folder.is_dir():
        listing = pagefiles.list_pages(folder, pattern)
    elif allow_removal:
        listing = pagefiles.Listing()
    else:
        raise FileNotFoundError(
            f"The page folder {folder} does not exist: nothing was loaded or removed."
        )
    plan = ScanPlan(skipped=listing.skipped, folders=known.folders)
    for page in listing.pages:
        rel = page.path
        try:
            data = pagefiles.read_page_file(folder, page.os_path)
            entry = FileEntry(rel, hashlib.sha256(data).hexdigest(), len(data), page.os_path)
        except UnreadablePage:  # quarantined with its reason when processed
            entry = FileEntry(rel, None, 0, page.os_path)
        current = loaded.get(rel)
        if current is None and rel in rejected and rejected[rel] == entry.sha256:
            plan.rejected.append(entry)
        elif current is None:
            plan.new.append(entry)
        elif current != entry.sha256:
            plan.changed.append(entry)
        else:
            plan.unchanged.append(entry)
    plan.removed = sorted(set(loaded) - {p.path for p in listing.pages})
    reason = (
        None
        if allow_removal
        else removal_hold(folder, len(plan.removed), len(loaded), bool(listing.pages))
    )
    if reason:
        plan.held, plan.removed, plan.hold_reason = plan.removed, [], reason
    return plan


def removal_hold(folder: Path, gone: int, current: int, has_pages: bool) -> str | None:
    """Why files gone from the folder are not marked removed (None: they are)."""
    if not gone:
        return None
    advice = "run with --allow-removal (flow parameter allow_removal) to remove them"
    if not has_pages:
        return (
            f"The folder {folder} has no page files, but {current} pages loaded from it are "
            f"current: nothing was removed (is a share not mounted?); {advice}."
        )
    if gone * 2 > current:
        return (
            f"{gone} of the {current} current pages of {folder} are gone from it, more than "
            f"half: nothing was removed (is it the wrong folder?); {advice}."
        )
    return None
