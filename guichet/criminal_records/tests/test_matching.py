import pytest

from guichet.criminal_records import matching


@pytest.mark.parametrize(
    "a, b",
    [
        ("Mahamadou", "Mamadou"),
        ("Mahamadou", "Mahamadu"),
        ("Abdoulaye", "Abdoulahi"),
        ("Ousmane", "Usman"),
        ("Moussa", "Musa"),
        ("Mohammed", "Mohamed"),
        ("Hassane", "Assane"),
        ("Djibo", "Jibo"),
        ("Aïchatou", "Aichatu"),
        ("Hadiza", "Adiza"),
    ],
)
def test_spelling_variants_share_a_phonetic_key(a, b):
    assert matching.phonetic_key(a) == matching.phonetic_key(b)


@pytest.mark.parametrize("a, b", [("Moussa", "Mariama"), ("Ousmane", "Issa"), ("Garba", "Hamani")])
def test_different_names_keep_different_keys(a, b):
    assert matching.phonetic_key(a) != matching.phonetic_key(b)


def test_variant_spelling_and_missing_day_find_the_person(make_person):
    wanted = make_person(
        last_name="Souley",
        first_names="Abdoulaye",
        birth_year=1979,
        birth_month=None,
        birth_day=None,
    )
    make_person(last_name="Hamani", first_names="Mariama", sex="F", birth_year=1979)
    found = matching.candidates(
        last_name="Souleye", first_names="Abdoulahi", birth_year=1979, birth_month=7, birth_day=2
    )
    assert [c.person for c in found] == [wanted]
    assert 0.8 < found[0].score < 1


def test_exact_record_scores_above_a_variant(make_person):
    exact = make_person(first_names="Mahamadou")
    variant = make_person(first_names="Mamadou", birth_day=None, birth_month=None)
    found = matching.candidates(
        last_name="Issoufou", first_names="Mahamadou", birth_year=1980, birth_month=5, birth_day=12
    )
    assert [c.person for c in found] == [exact, variant]
    assert found[0].score > found[1].score


def test_other_known_spellings_are_searched(make_person):
    person = make_person(last_name="Garba", first_names="Ousmane", other_spellings="GARBA Usman")
    found = matching.candidates(last_name="Garba", first_names="Usman", birth_year=1980)
    assert found and found[0].person == person


def test_another_birth_year_rules_out(make_person):
    make_person(birth_year=1980)
    assert matching.candidates(last_name="Issoufou", first_names="Mahamadou", birth_year=1990) == []


def test_merged_records_are_not_proposed(make_person):
    keep = make_person()
    make_person(first_names="Mamadou", merged_into=keep)
    found = matching.candidates(last_name="Issoufou", first_names="Mahamadou", birth_year=1980)
    assert [c.person for c in found] == [keep]
