import pytest

from guichet.accounts.models import Organisation


@pytest.mark.django_db
def test_readonly_alias_sees_what_the_test_wrote():
    Organisation.objects.create(code="TEST-RO", name="Essai", kind="other")
    assert Organisation.objects.using("readonly").filter(code="TEST-RO").exists()
