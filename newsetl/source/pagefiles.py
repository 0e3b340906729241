"""Which entries of an inbox folder are page files, and reading one without leaving the folder.

A page file is a regular file, in the folder or a folder below it, whose name matches the page
pattern (`*.txt` by default, matched without regard to case) and is neither hidden (`.name`)
nor a partial or backup name (`.part`, `.partial`, `.tmp`, `.crdownload`, `.bak`, `~`).
Symbolic links (to files or folders) are never followed, hidden folders never entered, and
FIFOs, sockets and devices never opened. Every other entry is skipped with its reason.

A name that is not valid UTF-8 is kept under a printable form in which each undecodable byte
is written `\\xNN`; the file is read under its real name.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATTERN = "*.txt"
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".bak", "~")

# The largest page file read, in MB: a printed page's text is tens of kilobytes, and a
# bigger file (a whole archive in one file, a dump) would hold the writer lock while it is
# parsed. Set by NEWSETL_MAX_PAGE_MB.
MAX_PAGE_ENV = "NEWSETL_MAX_PAGE_MB"
DEFAULT_MAX_PAGE_MB = 64.0

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC


class UnreadablePage(Exception):
    """A page file that cannot be read; the message says why, without the file's name."""


@dataclass(frozen=True)
class PageFile:
    """A page file of the folder."""

    path: str  # relative, with forward slashes, printable: the name the warehouse keeps
    os_path: str  # relative, as the file system spells it (differs for a non-UTF-8 name)


@dataclass(frozen=True)
class Skipped:
    """An entry of the folder that is not read, and why."""

    path: str  # printable, relative to the folder
    reason: str


@dataclass
class Listing:
    """The page files of a folder, in path order, and the entries skipped."""

    pages: list[PageFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def printable(os_path: str) -> str:
    """A name as text: bytes that are not UTF-8 (surrogate-escaped by the OS) as `\\xNN`."""
    return os.fsencode(os_path).decode("utf-8", "backslashreplace")


def name_reason(name: str, pattern: str = DEFAULT_PATTERN) -> str | None:
    """Why a file of this name is not a page file (None when it is one)."""
    lowered = name.lower()
    if name.startswith("."):
        return "a hidden name"
    if lowered.endswith(PARTIAL_SUFFIXES):
        return "a partial or backup name"
    if not fnmatch.fnmatchcase(lowered, pattern.lower()):
        return f"the name does not match {pattern}"
    return None


def mode_reason(mode: int) -> str | None:
    """Why an entry of this type (from lstat) is not read (None for a regular file or folder)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link, which is not followed"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a regular file (a FIFO, socket or device)"
    return None


def list_pages(folder: Path, pattern: str = DEFAULT_PATTERN) -> Listing:
    """The page files under `folder` and the entries skipped; only `folder` itself is followed."""
    listing = Listing()
    pending = [""]
    while pending:
        below = pending.pop()
        try:
            with os.scandir(folder / below if below else folder) as entries:
                found = list(entries)
        except OSError as exc:
            if not below:
                raise
            listing.skipped.append(Skipped(printable(below), _why(exc)))
            continue
        for entry in found:
            rel = f"{below}/{entry.name}" if below else entry.name
            reason = _entry_reason(entry, pattern)
            if reason is not None:
                listing.skipped.append(Skipped(printable(rel), reason))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(rel)
            else:
                listing.pages.append(PageFile(printable(rel), rel))
    real = {p.path for p in listing.pages if p.path == p.os_path}
    for page in [p for p in listing.pages if p.path != p.os_path and p.path in real]:
        listing.pages.remove(page)
        listing.skipped.append(Skipped(page.path, "its printable name is another file's name"))
    listing.pages.sort(key=lambda p: p.path)
    listing.skipped.sort(key=lambda s: s.path)
    return listing


def _entry_reason(entry: os.DirEntry[str], pattern: str) -> str | None:
    """Why a folder entry is skipped (None for a page file or a folder to enter)."""
    try:
        reason = mode_reason(entry.stat(follow_symlinks=False).st_mode)
        is_dir = entry.is_dir(follow_symlinks=False)
    except OSError as exc:
        return _why(exc)
    if reason is not None:
        return reason
    if is_dir:
        return "a hidden folder" if entry.name.startswith(".") else None
    return name_reason(entry.name, pattern)


def is_page(folder: Path, path: Path, pattern: str = DEFAULT_PATTERN) -> bool:
    """Whether a path reported by the file system (maybe gone since) is a page file's."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    if not parts or name_reason(parts[-1], pattern) is not None:
        return False
    if any(p.startswith(".") for p in parts[:-1]):
        return False
    for depth in range(1, len(parts) + 1):
        try:
            mode = os.lstat(folder.joinpath(*parts[:depth])).st_mode
        except FileNotFoundError:
            return True  # removed: a page file's removal is a change too
        except OSError:
            return False
        wanted = stat.S_ISREG if depth == len(parts) else stat.S_ISDIR
        if not wanted(mode):
            return False
    return True


def read_page_file(folder: Path, os_path: str) -> bytes:
    """The bytes of the regular file at `os_path` below `folder`, following no link below it.

    Each folder on the way and the file are opened relative to the one before with
    O_NOFOLLOW, the file also with O_NONBLOCK, and checked to be a regular file once open: a
    file swapped for a link or a FIFO after the listing is refused, never followed or waited on.
    """
    *folders, name = os_path.split("/")
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
        try:
            for part in folders:
                inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = inner
            file_fd = os.open(name, _FILE_FLAGS, dir_fd=fd)
        finally:
            os.close(fd)
        with os.fdopen(file_fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise UnreadablePage("it is not a regular file")
            limit = max_page_mb()
            if st.st_size > limit * 1e6:
                raise UnreadablePage(
                    f"it holds {st.st_size / 1e6:.1f} MB, more than the {limit:g} MB a page"
                    f" may hold ({MAX_PAGE_ENV})"
                )
            return f.read()
    except OSError as exc:
        raise UnreadablePage(_why(exc)) from None


def max_page_mb() -> float:
    """The largest page file read, in MB (NEWSETL_MAX_PAGE_MB, default 64)."""
    try:
        return float(os.environ.get(MAX_PAGE_ENV) or DEFAULT_MAX_PAGE_MB)
    except ValueError:
        return DEFAULT_MAX_PAGE_MB


def _why(exc: OSError) -> str:
    """An OSError in words, without the file name it carries."""
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link, which is not followed"
    if exc.errno == errno.ENOTDIR:
        return "a folder on its path is a symbolic link (not followed) or not a folder"
    return f"it cannot be read ({exc.strerror or type(exc).__name__})"
