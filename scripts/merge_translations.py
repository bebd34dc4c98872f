"""Fill the catalogues from JSON-lines translation files, never overwriting a reviewed entry.

    .venv/bin/python scripts/merge_translations.py /work/notes/*-strings.jsonl [--dry-run]

Each line of a file is one JSON object (the format every engineer writes, see docs/translations.md):

    {"msgid": "...", "msgid_plural": null, "msgctxt": null, "en": "...", "ha": "...", "dje": "..."}

For a plural entry (msgid_plural set) a language's value is a list of forms, in the order of that
catalogue's Plural-Forms header (English and Hausa: one, other; Zarma: a single form). A plain string
is accepted for a language whose catalogue has a single form.

An entry of `guichet/locale/<lang>/LC_MESSAGES/django.po` is filled only when it is empty or fuzzy
(fuzzy entries are guesses of msgmerge, never compiled); a translated, non-fuzzy entry has been
reviewed and is kept. A translation whose placeholders (`%(name)s`, `%s`) differ from the French is
refused (Babel would refuse to compile it). The script edits the .po files line by line: everything
else in them (comments, references, wrapping) is left as it was. Run `make messages` afterwards.
The report lists what was filled, kept, refused, and the msgids found in no catalogue (usually a
text reworded since, or a string not yet extracted: run makemessages first).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "guichet" / "locale"
LANGUAGES = ("en", "ha", "dje")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]?\d*(?:\.\d+)?[sdifFeEgGxXoc]|%[sdif]")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
WIDTH = 79


def unquote(literal: str) -> str:
    body = literal.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda match: escapes.get(match.group(1), match.group(1)), body)


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


def po_lines(keyword: str, text: str) -> list[str]:
    """`keyword "text"`, wrapped as GNU gettext does: one line when it fits, else an empty first
    string and one line per piece (cut after each newline and at spaces)."""
    single = f"{keyword} {quote(text)}"
    if len(single) <= WIDTH and "\n" not in text[:-1]:
        return [single]
    pieces = []
    for chunk in re.split(r"(?<=\n)", text):
        line = ""
        for word in re.split(r"(?<= )", chunk):
            if line and len(quote(line + word)) > WIDTH - 2:
                pieces.append(line)
                line = ""
            line += word
        if line:
            pieces.append(line)
    return [f'{keyword} ""', *(quote(piece) for piece in pieces)]


@dataclass
class Entry:
    """One block of a .po file, with the positions of its parts so that it can be rewritten."""

    lines: list[str]
    fields: dict[str, str] = field(default_factory=dict)
    forms: dict[int, str] = field(default_factory=dict)
    first_msgstr: int | None = None

    @classmethod
    def parse(cls, block: str) -> Entry:
        entry = cls(lines=block.split("\n"))
        current = None
        for index, line in enumerate(entry.lines):
            match = KEYWORD.match(line)
            if match:
                keyword, number, literal = match.groups()
                if keyword.startswith("msgstr"):
                    if entry.first_msgstr is None:
                        entry.first_msgstr = index
                    current = ("form", int(number or 0))
                    entry.forms[current[1]] = unquote(literal)
                else:
                    current = ("field", keyword)
                    entry.fields[keyword] = unquote(literal)
            elif line.startswith('"') and current:
                kind, key = current
                target = entry.forms if kind == "form" else entry.fields
                target[key] += unquote(line)
        return entry

    @property
    def key(self) -> tuple[str | None, str] | None:
        if "msgid" not in self.fields or self.first_msgstr is None:
            return None  # an obsolete (#~) entry or a comment block
        return self.fields.get("msgctxt"), self.fields["msgid"]

    @property
    def fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.lines)

    @property
    def translated(self) -> bool:
        return bool(self.forms) and all(self.forms.values()) and not self.fuzzy

    def fill(self, forms: list[str]) -> None:
        head = []
        for line in self.lines[: self.first_msgstr]:
            if line.startswith("#|"):
                continue  # msgmerge's previous msgid, meaningless once the entry is translated
            if line.startswith("#,"):
                flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() != "fuzzy"]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            head.append(line)
        if "msgid_plural" in self.fields:
            body = [line for n, form in enumerate(forms) for line in po_lines(f"msgstr[{n}]", form)]
        else:
            body = po_lines("msgstr", forms[0])
        trailing = len(self.lines) - len("\n".join(self.lines).rstrip("\n").split("\n"))
        self.lines = head + body + [""] * trailing
        self.forms = dict(enumerate(forms))


class Catalogue:
    def __init__(self, path: Path):
        self.path = path
        self.entries = [Entry.parse(block) for block in path.read_text("utf-8").split("\n\n")]
        header = self.entries[0].forms.get(0, "")
        found = NPLURALS.search(header)
        self.nplurals = int(found.group(1)) if found else 2
        self.by_key = {entry.key: entry for entry in self.entries if entry.key}

    def write(self) -> None:
        text = "\n\n".join("\n".join(entry.lines) for entry in self.entries)
        self.path.write_text(text, "utf-8")


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def problem_with(entry: Entry, forms: list[str], nplurals: int) -> str | None:
    """Why a translation cannot go into `entry`, or None."""
    if not all(isinstance(form, str) and form for form in forms):
        return "empty form"
    french = entry.fields["msgid"]
    if "msgid_plural" in entry.fields:
        if len(forms) != nplurals:
            return f"{len(forms)} plural forms given, the catalogue has {nplurals}"
        allowed = placeholders(french) | placeholders(entry.fields["msgid_plural"])
        named = {p for p in allowed if p.startswith("%(")}
        for form in forms:
            used = placeholders(form)
            if not used <= allowed or (named and used - named):
                return f"placeholders {sorted(used)} instead of {sorted(allowed)}"
        return None
    if placeholders(forms[0]) != placeholders(french):
        return f"placeholders {sorted(placeholders(forms[0]))} instead of {sorted(placeholders(french))}"
    return None


def as_forms(value, nplurals: int, plural: bool) -> list[str] | None:
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return [str(form) for form in value]
    if plural and nplurals > 1:
        return [str(value)]  # refused by problem_with: one string for several forms
    return [str(value)] * (nplurals if plural else 1)


def read_jsonl(paths: list[Path]) -> tuple[list[dict], list[str]]:
    rows, errors = [], []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                errors.append(f"{path}:{number}: not JSON ({error.msg})")
                continue
            if not isinstance(row, dict) or not isinstance(row.get("msgid"), str):
                errors.append(f"{path}:{number}: no msgid")
                continue
            row["_where"] = f"{path.name}:{number}"
            rows.append(row)
    return rows, errors


def merge(rows: list[dict], locale_dir: Path, languages=LANGUAGES, dry_run=False) -> dict:
    report = {"filled": {}, "kept": {}, "refused": [], "not_found": []}
    catalogues = {
        language: Catalogue(locale_dir / language / "LC_MESSAGES" / "django.po")
        for language in languages
        if (locale_dir / language / "LC_MESSAGES" / "django.po").exists()
    }
    for row in rows:
        key = (row.get("msgctxt") or None, row["msgid"])
        found = False
        for language, catalogue in catalogues.items():
            entry = catalogue.by_key.get(key)
            if entry is None:
                continue
            found = True
            plural = "msgid_plural" in entry.fields
            forms = as_forms(row.get(language), catalogue.nplurals, plural)
            if forms is None:
                continue
            if entry.translated:
                report["kept"][language] = report["kept"].get(language, 0) + 1
                continue
            problem = problem_with(entry, forms, catalogue.nplurals)
            if problem:
                report["refused"].append(
                    f"{row['_where']} [{language}] {row['msgid']!r}: {problem}"
                )
                continue
            entry.fill(forms)
            report["filled"][language] = report["filled"].get(language, 0) + 1
        if not found:
            report["not_found"].append(f"{row['_where']} {row['msgid']!r}")
    if not dry_run:
        for catalogue in catalogues.values():
            catalogue.write()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="JSON-lines files")
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR)
    parser.add_argument("--dry-run", action="store_true", help="report without writing")
    args = parser.parse_args(argv)
    rows, errors = read_jsonl(args.files)
    report = merge(rows, args.locale_dir, dry_run=args.dry_run)
    for language in LANGUAGES:
        print(
            f"{language}: {report['filled'].get(language, 0)} filled, "
            f"{report['kept'].get(language, 0)} already reviewed (kept)"
        )
    for line in errors:
        print(f"unreadable: {line}")
    for line in report["refused"]:
        print(f"refused: {line}")
    for line in report["not_found"]:
        print(f"not found: {line}")
    if not args.dry_run and report["filled"]:
        print("now run `make messages` to compile the catalogues")
    return 1 if errors or report["refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
