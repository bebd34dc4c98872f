"""Rows a module's tests share (ModuleRows): written once, each test's changes undone before the
next, all of them gone after the module."""

import pytest

from guichet.accounts.models import User
from tests.shared_rows import ModuleRows

SHARED = "shared-row"


@pytest.fixture(scope="module")
def shared(module_rows):
    return module_rows(lambda: User.objects.create(username=SHARED))


@pytest.mark.django_db
@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_finds_the_shared_row_whatever_the_one_before_did(shared, turn):
    assert User.objects.filter(pk=shared.pk).exists(), f"turn {turn}"
    User.objects.filter(pk=shared.pk).delete()  # undone before the next test


def test_the_rows_are_gone_after_the_module(django_db_setup, django_db_blocker):
    rows = ModuleRows(django_db_blocker)
    rows(lambda: User.objects.create(username="rolled-back"))
    with django_db_blocker.unblock():
        assert User.objects.filter(username="rolled-back").exists()
    rows.roll_back()
    with django_db_blocker.unblock():
        assert not User.objects.filter(username="rolled-back").exists()
