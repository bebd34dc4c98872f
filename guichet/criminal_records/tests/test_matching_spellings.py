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
    pytest.param(
        ("N'Diaye", "Aïssa"),
        ("Ndiaye", "Aissa"),
        marks=_missed("names.fold splits « N'Diaye » into « n diaye »: no blocking key shared"),
        id="apostrophe",
    ),
    pytest.param(
        ("Alkassoum", "Rabiou"),
        ("Al-Kassoum", "Rabiu"),
        marks=_missed("« Al-Kassoum » loses the particle « al », « Alkassoum » keeps it"),
        id="arabic-article-hyphen",
    ),
    pytest.param(
        ("Dan Jimma", "Ali"),
        ("Danjimma", "Ali"),
        marks=_missed("Hausa « Dan » (son of) written apart or joined: no pair key shared"),
        id="hausa-dan-joined",
    ),
    pytest.param(
        ("Garba", "Boubacar"),
        ("Garba", "Abubakar"),
        marks=_missed("Boubacar / Abubakar (Abu Bakr): one token differs, every pair key too"),
        id="boubacar-abubakar",
    ),
    pytest.param(
        ("Tanimoune", "Amadou"),
        ("Tanimoun", "Ahmadou"),
        marks=_missed("Amadou / Ahmadou: the h before a consonant is kept, no pair key shared"),
        id="amadou-ahmadou",
    ),
    pytest.param(
        ("Abdourahamane", "Djibo"),
        ("Abdourahmane", "Jibo"),
        marks=_missed("Abdourahamane / Abdourahmane: one vowel less, no pair key shared"),
        id="abdourahamane",
    ),
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


@pytest.mark.xfail(
    strict=True,
    reason="a one-word name scores 0 for the missing first names: 68 %, below PROBABLE, so a "
    f"clerk may open a « NÉANT » record beside the convicted person's ({SPLIT})",
)
def test_a_one_word_name_with_every_other_fact_equal_is_probable(make_person, niamey_commune):
    # Many persons in Niger's registers carry one name only.
    person = make_person(last_name="Moumouni", first_names="")
    result = matching.search(_asked(niamey_commune, "Moumouni", ""))
    assert [c.person for c in result.probable] == [person]
