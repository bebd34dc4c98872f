"""Reading GTFS files row by row from a zip or a folder, and parsing GTFS values.

Shared by the validator and the importer so that both see exactly the same rows and line
numbers (the CSV row number counts the header as row 1, as MobilityData's validator does).
"""

from __future__ import annotations

import csv
import datetime
import functools
import gc
import io
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(1 << 24)

# GTFS Schedule files a planner uses, in the order they are read (parents before children).
FILES = (
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "shapes.txt",
    "stop_times.txt",
    "frequencies.txt",
    "transfers.txt",
    "feed_info.txt",
)

_TIME = re.compile(r"^(\d{1,3}):([0-5]\d):([0-5]\d)$")
_DATE = re.compile(r"^\d{8}$")
_COLOR = re.compile(r"^[0-9A-Fa-f]{6}$")


# Zip bombs: a GTFS archive is refused, before any file is read, when it would unpack to more
# than MAX_UNCOMPRESSED_BYTES, or when one of its files (past 1 MiB) is compressed more than
# MAX_RATIO times (text CSV compresses 3–20 times; a bomb, a thousand times). Settings
# TRANSIT_GTFS_MAX_UNCOMPRESSED_BYTES and TRANSIT_GTFS_MAX_RATIO override them.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ArchiveProblem:
    kind: str  # "too_large" | "ratio"
    member: str = ""
    size: int = 0
    limit: float = 0


def archive_problem(
    path: str | os.PathLike,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: float = MAX_RATIO,
) -> ArchiveProblem | None:
    """Why the zip at `path` must not be unpacked (declared sizes, from its central directory —
    zipfile never reads past a member's declared size), or None. Folders, and what is not a
    zip (the validator reports it), are not checked."""
    path = Path(path)
    if not path.is_file() or not zipfile.is_zipfile(path):
        return None
    with zipfile.ZipFile(path) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        return ArchiveProblem("too_large", size=total, limit=max_uncompressed)
    for info in infos:
        if info.file_size > _RATIO_FROM_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            return ArchiveProblem(
                "ratio", info.filename, info.file_size // max(info.compress_size, 1), max_ratio
            )
    return None


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for the block. Validating or importing a feed
    allocates millions of short-lived tuples and lists (no cycles): each allocation burst would
    start a collection walking every object kept meanwhile (the id maps, the validator's state),
    which cost as much CPU as the conversions themselves. Reference counting still frees every
    row at once; the collector runs again after the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class GtfsSource:
    """A GTFS feed on disk (zip or folder); `rows(name)` streams one file."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._handles: list[io.TextIOBase] = []
        self._names: dict[str, str] = {}
        if self.path.is_dir():
            for entry in self.path.iterdir():
                if entry.is_file():
                    self._names[entry.name] = str(entry)
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            for info in self._zip.infolist():
                if info.is_dir():
                    continue
                # Feeds zipped with their folder keep the files one level down.
                self._names.setdefault(info.filename.rsplit("/", 1)[-1], info.filename)
        else:
            raise FileNotFoundError(path)

    def __enter__(self) -> GtfsSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for handle in self._handles:
            handle.close()
        self._handles.clear()
        if self._zip is not None:
            self._zip.close()

    @property
    def names(self) -> list[str]:
        return sorted(self._names)

    def has(self, name: str) -> bool:
        return name in self._names

    def _open(self, name: str) -> io.TextIOBase:
        inner = self._names[name]
        if self._zip is not None:
            return io.TextIOWrapper(self._zip.open(inner), encoding="utf-8-sig", newline="")
        return open(inner, encoding="utf-8-sig", newline="")

    def contains(self, name: str, needle: bytes) -> bool:
        """Whether the bytes of file `name` hold `needle` (one byte, read in 1 MiB chunks)."""
        inner = self._names[name]
        with self._zip.open(inner) if self._zip is not None else open(inner, "rb") as handle:
            while chunk := handle.read(1 << 20):
                if needle in chunk:
                    return True
        return False

    def records(self, name: str) -> Iterator[tuple[int, list[str]]]:
        """(csv row number, values) for every line, the header first (row 1); blank lines kept
        as empty lists so that callers can report them."""
        with self._open(name) as handle:
            yield from enumerate(csv.reader(handle), start=1)

    def iter_records(self, name: str) -> Iterator[tuple[int, list[str]]]:
        """As `records`, without a Python generator between csv and the caller (every row of
        a large file crosses it): the file stays open until it is read through or the source
        is closed."""
        handle = self._open(name)
        self._handles.append(handle)
        return enumerate(csv.reader(handle), start=1)

    def records_with_text(self, name: str) -> Iterator[tuple[int, list[str], str]]:
        """As `records`, with the raw text each record was read from (its lines)."""
        consumed: list[str] = []

        def lines(handle):
            for line in handle:
                consumed.append(line)
                yield line

        with self._open(name) as handle:
            for number, values in enumerate(csv.reader(lines(handle)), start=1):
                text = "".join(consumed)
                consumed.clear()
                yield number, values, text

    def header(self, name: str) -> list[str]:
        for _number, values in self.records(name):
            return [v.strip() for v in values]
        return []

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """(csv row number, {column: value stripped}) for every non-blank data row."""
        header: list[str] | None = None
        for number, values in self.records(name):
            if header is None:
                header = [v.strip() for v in values]
                continue
            if not values or all(not v.strip() for v in values):
                continue
            yield number, {k: v.strip() for k, v in zip(header, values, strict=False)}


def quoted_fields(text: str) -> list[bool]:
    """Per field of one raw CSV record, whether it was written between quotes (RFC 4180)."""
    flags: list[bool] = []
    i, n = 0, len(text.rstrip("\r\n"))
    while True:
        while i < n and text[i] in " \t":
            i += 1  # a quote after spaces still opens a quoted field for univocity
        if i < n and text[i] == '"':
            flags.append(True)
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
            while i < n and text[i] != ",":
                i += 1
        else:
            flags.append(False)
            while i < n and text[i] != ",":
                i += 1
        if i >= n:
            return flags
        i += 1  # the comma


@functools.lru_cache(maxsize=1 << 18)
def parse_time(value: str) -> int | None:
    """GTFS time "H:MM:SS" / "HH:MM:SS" (may pass 24:00:00) → seconds; "" → None."""
    value = value.strip()
    if not value:
        return None
    match = _TIME.match(value)
    if not match:
        raise ValueError(value)
    hours, minutes, seconds = (int(g) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_time(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    if not _DATE.match(value):
        raise ValueError(value)
    return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))


def format_date(day: datetime.date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def is_color(value: str) -> bool:
    return bool(_COLOR.match(value))
