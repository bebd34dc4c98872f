"""The compiled timetable on disk: written once, memory-mapped by every process that reads it.

A stored timetable is a folder: one `.npy` file per array of `Timetable` (loaded with
`numpy.load(mmap_mode="r")`, so opening costs no copy and several worker processes share the
same pages through the page cache), and `meta.json` with the format number, the scalars and the
string tables (stop, route and trip identifiers and names). The reversed timetable (arrive-by
queries) is stored beside it in `reverse/`. Folders are written under a temporary name and
renamed into place, so a reader never sees half a timetable; a folder of another FORMAT is
ignored (rebuilt by the caller).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import fields
from datetime import date
from pathlib import Path

import numpy as np

from .timetable import Timetable, reversed_timetable

FORMAT = 2  # 2: trip- and route-specific transfers (rule_* arrays)
STRINGS = ("stop_ids", "stop_names", "route_ids", "route_short_names", "trip_ids", "trip_headsigns")
SCALARS = ("max_walk_m", "reverse")


def _array_fields() -> list[str]:
    skip = {*STRINGS, *SCALARS, "first_date"}
    return [f.name for f in fields(Timetable) if f.name[0] != "_" and f.name not in skip]


def _write(timetable: Timetable, folder: Path, *, strings: bool = True, label: str = "") -> None:
    folder.mkdir(parents=True)
    for name in _array_fields():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(getattr(timetable, name)))
    meta = {
        "format": FORMAT,
        "label": label,
        "first_date": timetable.first_date.isoformat(),
        **{name: getattr(timetable, name) for name in SCALARS},
    }
    if strings:  # the reversed timetable shares the forward one's
        meta["strings"] = {name: list(getattr(timetable, name)) for name in STRINGS}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def save(
    timetable: Timetable, folder: str | os.PathLike, *, with_reverse: bool = True, label: str = ""
) -> Path:
    """Write `timetable` (and its reversed twin) to `folder`, atomically; returns the folder.
    An existing folder is left as it is (another process wrote the same version). `label`
    (what the caller knows the timetable by) is checked again by `load`."""
    folder = Path(folder)
    if (folder / "meta.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        target = staging / "tt"
        _write(timetable, target, label=label)
        if with_reverse:
            reverse = reversed_timetable(timetable)
            _write(reverse, target / "reverse", strings=False)
            np.save(target / "reverse" / "_slot_map.npy", reverse._cache["slot_map"])
        try:
            os.rename(target, folder)
        except OSError:
            if not (folder / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _read(folder: Path, strings: dict | None = None, label: str | None = None) -> Timetable | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or (label is not None and meta.get("label") != label):
            return None
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _array_fields()}
    except (OSError, ValueError):
        return None
    return Timetable(
        **arrays,
        **(strings if strings is not None else meta["strings"]),
        first_date=date.fromisoformat(meta["first_date"]),
        max_walk_m=float(meta["max_walk_m"]),
        reverse=bool(meta["reverse"]),
    )


def load(folder: str | os.PathLike, *, label: str | None = None) -> Timetable | None:
    """The timetable stored in `folder`, memory-mapped; None when absent, of another FORMAT or
    (when given) saved with another `label`."""
    folder = Path(folder)
    timetable = _read(folder, label=label)
    if timetable is None:
        return None
    reverse = _read(folder / "reverse", {name: getattr(timetable, name) for name in STRINGS})
    if reverse is not None:
        reverse._cache["slot_map"] = np.load(folder / "reverse" / "_slot_map.npy", mmap_mode="r")
        timetable._cache["reversed"] = reverse
    return timetable
