"""The report of a GTFS validation: its notices, counted per code, the first of each kept.

Codes and severities are MobilityData's (`validation_schema.SEVERITIES`); `validation.validate`
fills a `Report`, the importer stores it with the feed and refuses the feed when it has an ERROR.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.utils.translation import ngettext

from guichet.transit.validation_schema import ERROR, INFO, SAMPLES_PER_CODE, SEVERITIES, WARNING


@dataclass
class Notice:
    code: str
    severity: str
    file: str = ""
    line: int | None = None
    field: str = ""
    detail: dict = dc_field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "detail": self.detail,
        }

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        where += f" [{self.field}]" if self.field else ""
        extra = ", ".join(f"{k}={v}" for k, v in self.detail.items())
        return f"{self.severity} {self.code} {where}" + (f" ({extra})" if extra else "")


@dataclass
class Report:
    """Notices found in a feed: every code counted, the first SAMPLES_PER_CODE of each kept."""

    counts: dict[str, int] = dc_field(default_factory=dict)
    samples: list[Notice] = dc_field(default_factory=list)
    row_counts: dict[str, int] = dc_field(default_factory=dict)  # data rows read, per file

    def add(self, code: str, file: str = "", line: int | None = None, field: str = "", **detail):
        count = self.counts.get(code, 0) + 1
        self.counts[code] = count
        if count <= SAMPLES_PER_CODE:
            self.samples.append(Notice(code, SEVERITIES[code], file, line, field, detail))

    def merge(self, other: Report) -> None:
        """Add the notices of `other` (found apart) as if they had been added here after ours:
        every code counted, the first SAMPLES_PER_CODE of each kept."""
        kept: dict[str, int] = {}
        for notice in other.samples:
            kept[notice.code] = kept.get(notice.code, 0) + 1
            if self.counts.get(notice.code, 0) + kept[notice.code] <= SAMPLES_PER_CODE:
                self.samples.append(notice)
        for code, n in other.counts.items():
            self.counts[code] = self.counts.get(code, 0) + n

    def count(self, severity: str) -> int:
        return sum(n for code, n in self.counts.items() if SEVERITIES[code] == severity)

    @property
    def errors(self) -> list[Notice]:
        return [n for n in self.samples if n.severity == ERROR]

    @property
    def warnings(self) -> list[Notice]:
        return [n for n in self.samples if n.severity != ERROR]

    @property
    def errors_count(self) -> int:
        return self.count(ERROR)

    @property
    def warnings_count(self) -> int:
        return self.count(WARNING)

    @property
    def has_errors(self) -> bool:
        return self.count(ERROR) > 0

    def codes(self, severity: str | None = None) -> set[str]:
        return {c for c in self.counts if severity is None or SEVERITIES[c] == severity}

    def summary(self) -> dict[str, dict]:
        return {
            code: {"severity": SEVERITIES[code], "count": n}
            for code, n in sorted(self.counts.items())
        }

    def lines(self) -> list[str]:
        """The report as text: one line per code with its count, then its samples."""
        errors, warnings, infos = self.count(ERROR), self.count(WARNING), self.count(INFO)
        out = [
            ", ".join(
                (
                    ngettext("%(count)d erreur", "%(count)d erreurs", errors) % {"count": errors},
                    ngettext("%(count)d avertissement", "%(count)d avertissements", warnings)
                    % {"count": warnings},
                    ngettext("%(count)d information", "%(count)d informations", infos)
                    % {"count": infos},
                )
            )
        ]
        order = {ERROR: 0, WARNING: 1, INFO: 2}
        for code in sorted(self.counts, key=lambda c: (order[SEVERITIES[c]], c)):
            out.append(f"{SEVERITIES[code]} {code} × {self.counts[code]}")
            shown = [n for n in self.samples if n.code == code][:5]
            out.extend(f"    {n}" for n in shown)
        return out
