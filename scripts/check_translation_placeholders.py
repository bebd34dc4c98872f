"""Check that every translation in JSON-lines files keeps the placeholders of its French msgid.

    .venv/bin/python scripts/check_translation_placeholders.py /work/notes/*-strings.jsonl

A placeholder is a printf one (`%(name)s`, `%(n)d`, `%s`, `%d`), a brace one (`{name}`, `{0}`)
or an HTML tag (`<a href="…">`, `</strong>`, `<br>`). For each language of a line ("en", "ha",
"dje"), each form must contain exactly the multiset of the msgid's placeholders; a plural form may
also use those of msgid_plural, and may leave out the number placeholder only (an integer one,
`%(x)d` or `%d`, or one named n, count, counter, num or number: Zarma's single form, « one »
forms written in words). `%%` is a literal percent sign, not a placeholder. Exit status 1
when a line breaks the rule, with the file, line, language and what differs.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

PLACEHOLDER = re.compile(
    r"%\(\w+\)[#0\- +]?\d*(?:\.\d+)?[sdifFeEgGxXoc]"  # %(name)s
    r"|%[#0\- +]?\d*(?:\.\d+)?[sdif]"  # %s %d %.2f
    r"|\{\w*\}"  # {name} {0} {}
    r"|</?[a-zA-Z][^<>]*>"  # <a href="…"> </a> <br>
)
LANGUAGES = ("en", "ha", "dje")
NUMBER_NAMES = {"n", "count", "counter", "num", "number"}


def is_number(placeholder: str) -> bool:
    """The count of a plural entry, which a form may write in words or leave out."""
    name = re.match(r"%\((\w+)\)", placeholder)
    return placeholder.endswith("d") or bool(name and name.group(1) in NUMBER_NAMES)


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def problems_in(row: dict) -> list[str]:
    msgid = row["msgid"]
    expected = placeholders(msgid)
    plural = row.get("msgid_plural")
    allowed = expected | placeholders(plural) if plural else expected
    out = []
    for language in LANGUAGES:
        value = row.get(language)
        if value in (None, "", []):
            continue
        forms = value if isinstance(value, list) else [value]
        for number, form in enumerate(forms):
            if not isinstance(form, str) or not form:
                out.append(f"[{language}] form {number} is empty")
                continue
            got = placeholders(form)
            if plural:
                extra = got - allowed
                missing = {p for p in allowed if p not in got and not is_number(p)}
                if extra or missing:
                    out.append(f"[{language}] form {number}: {dict(got)} for {dict(allowed)}")
            elif got != expected:
                out.append(f"[{language}]: {dict(got)} instead of {dict(expected)}")
    return out


def check(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            found += [f"{path}:{number} {row['msgid'][:60]!r} {p}" for p in problems_in(row)]
    return found


def main(argv: list[str]) -> int:
    found = check([Path(arg) for arg in argv])
    print("\n".join(found) or "placeholders: every translation keeps its msgid's placeholders")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
