"""Candidate search chooses the nearest persons of a block from the key index alone: each
blocking key carries its person's birth year, birth commune and sex (migration 0006)."""

import importlib

from django.apps import apps
from django.db.models import Q

from guichet.criminal_records import matching
from guichet.criminal_records.identity_comparison import Identity
from guichet.criminal_records.models import PersonNameKey

migration = importlib.import_module(
    "guichet.criminal_records.migrations.0006_prerank_facts_on_name_keys"
)


def _facts_of_keys(person) -> set[tuple]:
    return set(
        PersonNameKey.objects.filter(person=person).values_list(
            "birth_year", "birth_commune_id", "sex"
        )
    )


def test_every_key_carries_the_persons_prerank_facts(make_person, niamey_commune):
    person = make_person()
    assert _facts_of_keys(person) == {(1980, niamey_commune.pk, "M")}


def test_correcting_a_birth_fact_rewrites_the_keys(make_person, zinder_commune):
    person = make_person()
    person.birth_year, person.birth_commune, person.sex = 1975, zinder_commune, "F"
    person.save()
    assert _facts_of_keys(person) == {(1975, zinder_commune.pk, "F")}


def test_a_merged_record_keeps_no_key_and_is_not_proposed(make_person):
    keep = make_person()
    duplicate = make_person(first_names="Mamadou")
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    assert not PersonNameKey.objects.filter(person=duplicate).exists()
    found = matching.candidates(last_name="Issoufou", first_names="Mahamadou", birth_year=1980)
    assert [c.person for c in found] == [keep]


def test_the_nearest_of_a_large_block_are_scored(make_person, niamey_commune, monkeypatch):
    """More namesakes than MAX_SCORED: those scored are the nearest by year, birthplace and sex,
    chosen in SQL — not the oldest records of the block."""
    monkeypatch.setattr(matching, "MAX_SCORED", 3)
    for year in (1950, 1951, 1952, 1953):  # older records, far from the declared year
        make_person(birth_year=year, father_name="", mother_name="")
    wanted = make_person(birth_year=1981, birth_month=None, birth_day=None)
    query = Identity(
        last_name="Issoufou",
        first_names="Mahamadou",
        sex="M",
        birth_year=1980,
        birth_year_margin=2,
        birth_commune_id=niamey_commune.pk,
        birth_region_id=niamey_commune.region_id,
    )
    ids = matching.candidate_ids(query)
    assert len(ids) == 3 and ids[0] == wanted.pk
    assert matching.search(query).candidates[0].person == wanted


def test_search_within_a_register_reads_only_its_keys(make_person, zinder_commune):
    make_person()  # born in Niamey
    in_zinder = make_person(birth_commune=zinder_commune)
    found = matching.candidates(
        last_name="Issoufou",
        first_names="Mahamadou",
        birth_year=1980,
        within=Q(birth_commune__region_id=zinder_commune.region_id),
    )
    assert [c.person for c in found] == [in_zinder]


def test_migration_copies_the_facts_onto_existing_keys(make_person, niamey_commune):
    person = make_person()
    merged = make_person(first_names="Mamadou")
    PersonNameKey.objects.update(birth_year=None, birth_commune=None, sex="")
    type(merged).objects.filter(pk=merged.pk).update(merged_into=person)  # keys left behind
    migration.copy_prerank_facts(apps, None)
    assert _facts_of_keys(person) == {(1980, niamey_commune.pk, "M")}
    assert not PersonNameKey.objects.filter(person=merged).exists()
