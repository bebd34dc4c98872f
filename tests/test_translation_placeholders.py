"""scripts/check_translation_placeholders.py: a translation keeps its msgid's placeholders."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import check_translation_placeholders as checker


def lines(tmp_path, *rows) -> Path:
    path = tmp_path / "x-strings.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), "utf-8")
    return path


def test_a_kept_placeholder_tag_and_brace_pass(tmp_path):
    path = lines(
        tmp_path,
        {
            "msgid": 'Dossier %(ref)s : <a href="{url}">ouvrir</a> à 100 %%',
            "ha": 'Fayil %(ref)s: <a href="{url}">buɗe</a> 100 %%',
            "dje": 'Dosiye %(ref)s: <a href="{url}">feeri</a> 100 %%',
        },
    )
    assert checker.check([path]) == []


def test_a_dropped_or_renamed_placeholder_and_a_lost_tag_are_reported(tmp_path):
    path = lines(
        tmp_path,
        {
            "msgid": "Ligne %(n)s : arrêt « %(s)s ».",
            "ha": "Layi %(n)s: tasha.",
            "dje": "Fonda %(m)s « %(s)s ».",
        },
        {"msgid": "<strong>Attention</strong>", "ha": "Hankali", "dje": "<strong>Hay</strong>"},
    )
    found = checker.check([path])
    assert [problem.split(" [")[1].split("]")[0] for problem in found] == ["ha", "dje", "ha"]


def test_plural_forms_may_leave_the_number_out_but_not_a_named_text(tmp_path):
    path = lines(
        tmp_path,
        {
            "msgid": "%(n)s trace ajoutée à %(name)s.",
            "msgid_plural": "%(n)s traces ajoutées à %(name)s.",
            "ha": ["Sawu ɗaya an ƙara wa %(name)s.", "An ƙara sawu %(n)s wa %(name)s."],
            "dje": ["Ce-taamu %(n)s tonton."],
        },
    )
    found = checker.check([path])
    assert len(found) == 1 and "[dje]" in found[0]
