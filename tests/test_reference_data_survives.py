"""Reference rows loaded by migrations are there for every test, transactional ones included."""

import pytest

from guichet.accounts.models import Organisation, Role


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_reference_rows_are_back_after_a_flush(run):
    assert Organisation.objects.filter(code="TGI-NIAMEY").exists()
    assert Role.objects.filter(code="court_clerk").exists()
    Organisation.objects.all().update(name="changed by a test")


@pytest.mark.django_db
def test_reference_rows_exist_in_ordinary_tests():
    assert Organisation.objects.get(code="SGG").name == "Secrétariat général du Gouvernement"
