"""Today's « autre mesure » penalties get their legal nature where the text says it (migration
0004), and the others are listed for a clerk."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from guichet.criminal_records import penalties, rules, selectors
from guichet.criminal_records.models import Penalty

migration = importlib.import_module(
    "guichet.criminal_records.migrations.0004_qualify_existing_penalties"
)


@pytest.mark.parametrize(
    "text, kind, fields",
    [
        ("Réclusion criminelle à perpétuité", penalties.LIFE_IMPRISONMENT, {}),
        ("reclusion criminelle a perpetuite", penalties.LIFE_IMPRISONMENT, {}),
        ("Emprisonnement à vie", penalties.LIFE_IMPRISONMENT, {}),
        ("Travaux forcés à perpétuité", penalties.LIFE_IMPRISONMENT, {}),
        ("Peine de mort", penalties.DEATH, {}),
        ("condamné à mort", penalties.DEATH, {}),
        ("20 ans de réclusion criminelle", penalties.CRIMINAL_IMPRISONMENT, {"years": 20}),
        ("Réclusion criminelle de dix ans", penalties.CRIMINAL_IMPRISONMENT, {"years": 10}),
        (
            "Interdiction de séjour de 5 ans",
            penalties.COMPLEMENTARY,
            {"subkind": "residence_ban", "years": 5},
        ),
        ("Confiscation du véhicule", penalties.COMPLEMENTARY, {"subkind": "confiscation"}),
        (
            "Suspension du permis de conduire 6 mois",
            penalties.COMPLEMENTARY,
            {"subkind": "licence_suspension", "months": 6},
        ),
        ("Liberté surveillée", penalties.EDUCATIONAL_MEASURE, {"subkind": "supervised_freedom"}),
        ("Remise aux parents", penalties.EDUCATIONAL_MEASURE, {"subkind": "parents"}),
    ],
)
def test_wordings_the_migration_reads(text, kind, fields):
    parsed = penalties.parse_free_text(text)
    assert parsed is not None and parsed.kind == kind and parsed.fields == fields


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Mesure de sûreté",
        "Réclusion criminelle",  # no length: a term or for life? ask a clerk
        "Réclusion criminelle de 5 ans avec sursis",
        "5 ans et 3 ans de réclusion",  # two lengths
        "Avertissement solennel",
    ],
)
def test_wordings_left_for_a_clerk(text):
    assert penalties.parse_free_text(text) is None


def test_the_migration_qualifies_what_it_can_and_lists_the_rest(make_person, convict, capsys):
    person = make_person()
    life = convict(person, "2010-03-01", offence="meurtre")
    Penalty.objects.create(
        conviction=life, kind="other", description="réclusion criminelle à perpétuité"
    )
    unclear = convict(person, "2011-03-01")
    vague = Penalty.objects.create(conviction=unclear, kind="other", description="Mesure de sûreté")
    days = convict(person, "2012-03-01")
    Penalty.objects.create(conviction=days, kind="prison", days=730)
    # Before: a signed B3 would read « NÉANT ».
    assert rules.bulletin_entries(person, 3) == []

    migration.qualify(apps, None)

    assert life.penalties.get().kind == Penalty.Kind.LIFE_IMPRISONMENT
    assert [e.conviction_id for e in rules.bulletin_entries(person, 3)] == [life.pk]
    two_years = days.penalties.get()
    assert (two_years.years, two_years.months, two_years.days) == (2, None, None)
    assert two_years.text() == "2 ans d'emprisonnement"
    assert list(selectors.penalties_to_qualify()) == [vague]
    call_command("penalties_to_qualify")
    out = capsys.readouterr().out
    assert "Mesure de sûreté" in out and "1 peine à qualifier." in out
