"""The golden table (golden_bulletins.py): every row, on every date, on B1, B2 and B3."""

import datetime as dt

import pytest
import time_machine

from guichet.criminal_records import rules
from guichet.criminal_records.models import Offence

from .golden_bulletins import ROWS, TODAY, TODAY_KEY

D = dt.date.fromisoformat


@pytest.fixture
def golden_offences(offences):
    # Contraventions of several classes: the rules read only the penalty pronounced.
    for number in (1, 3, 5):
        offences[f"contravention-{number}"] = Offence.objects.create(
            code=f"CONTRAV-{number}",
            label=f"Contravention de {number}{'re' if number == 1 else 'e'} classe",
            category="contravention",
        )
    return offences


def test_the_table_is_large_and_cites_an_article_per_row():
    assert len(ROWS) >= 40
    assert len({row.id for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row.article.strip(), row.id
        assert TODAY_KEY in row.expected and len(row.expected) == 4, row.id
        for day, kind, label in row.texts:
            assert day in row.expected and kind in (1, 2, 3), row.id
            assert label in row.convictions, row.id


@time_machine.travel(f"{TODAY} 12:00:00+01:00", tick=False)
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_golden_bulletins(row, make_person, convict, golden_offences):
    person = make_person(**row.person)
    labels = {}
    for label, spec in row.convictions.items():
        spec = dict(spec)
        conviction = convict(person, spec.pop("decided"), **spec)
        labels[conviction.pk] = label
    for day, expected in row.expected.items():
        on = None if day == TODAY_KEY else D(day)
        # Every row also respects the structure of the law: B3 ⊆ B2 ⊆ B1.
        assert set(expected[2]) <= set(expected[1]) <= set(expected[0]), (row.id, day)
        for kind, wanted in zip((1, 2, 3), expected, strict=True):
            entries = rules.bulletin_entries(person, kind, on=on)
            shown = "".join(sorted(labels[e.conviction_id] for e in entries))
            assert shown == wanted, f"{row.id} B{kind} on {day}: {row.article}"
            for (text_day, text_kind, text_label), text in row.texts.items():
                if text_day == day and text_kind == kind:
                    [entry] = [e for e in entries if labels[e.conviction_id] == text_label]
                    assert text in " ; ".join(entry.penalties), (row.id, entry.penalties)
