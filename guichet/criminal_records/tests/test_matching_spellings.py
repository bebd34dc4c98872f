"""A convicted person asking under another transcription of their names is proposed to the clerk.

Same person, same birth date, same commune, same sex: only the spelling differs, as it does
between two clerks keying Hausa, Zarma, Fulfulde or Arabic names in French letters. A person not
proposed lets the clerk open a new, empty record (identification.create_person_from_request) and
issue « NÉANT ». The spellings marked xfail are defects of matching.py / names.py, which are being
split into modules by others: reported there, not fixed here."""

import pytest

from guichet.criminal_records import matching

SPLIT = "matching.py / names.py split in progress: reported, not fixed in this branch"


def _missed(reason):
    return pytest.mark.xfail(strict=True, reason=f"{reason} ({SPLIT})")


SPELLINGS = [
    # (as recorded, as asked)
    (("Issoufou", "Mahamadou"), ("Issoufou", "Mouhammad")),
    (("Issoufou", "Mahamadou"), ("Issifou", "Mamadou")),
    (("Issoufou", "Mahamadou"), ("Issoufou", "Mohamed")),
    (("Garba", "Abdoulaye"), ("Garba", "Abdullahi")),
    (("Garba", "Aboubacar"), ("Garba", "Abubakar")),
    (("Hamani", "Oumarou"), ("Hamani", "Umaru")),
    (("Moussa", "Souleymane"), ("Musa", "Sulaiman")),
    (("Yacouba", "Ibrahim"), ("Yakubu", "Ibrahima")),
    (("Maïga", "Aïchatou"), ("Maiga", "Aichatou")),
    (("Mahamane", "Ousmane"), ("Ousmane", "Mahamane")),  # names in the other order
    (("Ould Ahmed", "Mohamed"), ("Ahmed", "Mohamed")),
    (("Harouna", "Mariama"), ("Haruna", "Maryam")),
    # The apostrophe joins a name (names.fold split « N'Diaye » into « n diaye »).
    pytest.param(("N'Diaye", "Aïssa"), ("Ndiaye", "Aissa"), id="apostrophe"),
    pytest.param(("Ya’u", "Sa'adu"), ("Yau", "Saadu"), id="apostrophe-hausa"),
    pytest.param(("Garba", "Saʼadatu"), ("Garba", "Saadatou"), id="hausa-glottal-stop"),
    # The letters of the national alphabets, as a French transcription writes them: they were
    # dropped and split the name (« Ɗan Baba » read « an baba », « Daƙar » « da ar »).
    pytest.param(("Ɗan Baba", "Ƙabiru"), ("Dan Baba", "Kabirou"), id="hausa-hooked-letters"),
    pytest.param(("Ɓoyi", "Ƴar Daƙar"), ("Boyi", "Yar Dakar"), id="hausa-b-y-k"),
    pytest.param(("Mɔɔdibo", "Bɛlla"), ("Modibo", "Bella"), id="fulfulde-open-vowels"),
    pytest.param(("Ŋaari", "Ɲalla"), ("Ngaari", "Nyalla"), id="zarma-nasals"),
    # A name of several words is keyed joined as well: the particle written apart or joined,
    # Hausa « Dan » (son of) apart or joined.
    pytest.param(("Alkassoum", "Rabiou"), ("Al-Kassoum", "Rabiu"), id="arabic-article-hyphen"),
    pytest.param(("Dan Jimma", "Ali"), ("Danjimma", "Ali"), id="hausa-dan-joined"),
    pytest.param(("Danjimma", "Ali"), ("Dan Jimma", "Ali"), id="hausa-dan-apart"),
    pytest.param(("Garba", "Abdoul Aziz"), ("Garba", "Abdoulaziz"), id="compound-first-name"),
    pytest.param(("Garba", "Boubacar"), ("Garba", "Abubakar"), id="boubacar-abubakar"),
    pytest.param(("Tanimoune", "Amadou"), ("Tanimoun", "Ahmadou"), id="amadou-ahmadou"),
    pytest.param(("Abdourahamane", "Djibo"), ("Abdourahmane", "Jibo"), id="abdourahamane"),
]


def _asked(commune, last_name, first_names):
    return matching.Identity(
        last_name=last_name,
        first_names=first_names,
        sex="M",
        birth_year=1980,
        birth_month=5,
        birth_day=12,
        birth_commune_id=commune.pk,
        birth_region_id=commune.region_id,
    )


@pytest.mark.parametrize("recorded, asked", SPELLINGS)
def test_another_transcription_of_the_same_person_is_proposed(
    make_person, niamey_commune, recorded, asked
):
    person = make_person(last_name=recorded[0], first_names=recorded[1])
    result = matching.search(_asked(niamey_commune, *asked))
    assert person in [c.person for c in result.candidates]


def test_a_one_word_name_with_every_other_fact_equal_is_probable(make_person, niamey_commune):
    """A one-word name scored 0 for the first names missing on both sides: 68 %, below
    PROBABLE, so a clerk could open a « NÉANT » record beside the convicted person's."""
    # Many persons in Niger's registers carry one name only.
    person = make_person(last_name="Moumouni", first_names="")
    result = matching.search(_asked(niamey_commune, "Moumouni", ""))
    assert [c.person for c in result.probable] == [person]
    # Still not probable when the birth date differs by a year, nor for a full name asked.
    nearly = _asked(niamey_commune, "Moumouni", "")
    nearly.birth_year += 1
    assert matching.search(nearly).probable == []
    assert matching.search(_asked(niamey_commune, "Moumouni", "Ali")).probable == []


def test_the_migration_gives_persons_keyed_before_the_letters_were_read_their_new_keys(
    make_person,
):
    import importlib

    from django.apps import apps

    from guichet.criminal_records.identity_comparison import Identity
    from guichet.criminal_records.models import PersonNameKey

    hooked = make_person(last_name="Ɗan Baba", first_names="Ƙabiru")
    plain = make_person(last_name="Garba", first_names="Moussa")
    # As they were written before: « an baba » and « abiru ».
    PersonNameKey.objects.filter(person=hooked).delete()
    PersonNameKey.objects.create(person=hooked, key="p:abiru|an", birth_year=hooked.birth_year)
    untouched = set(PersonNameKey.objects.filter(person=plain).values_list("key", flat=True))
    migration = importlib.import_module(
        "guichet.criminal_records.migrations.0008_reindex_name_keys"
    )
    migration.reindex(apps, None)
    keys = set(PersonNameKey.objects.filter(person=hooked).values_list("key", flat=True))
    assert keys == matching.blocking_keys(Identity.of_person(hooked))
    assert (
        set(PersonNameKey.objects.filter(person=plain).values_list("key", flat=True)) == untouched
    )
