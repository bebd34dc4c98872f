"""A huge id posted to a many-to-many field, or used in `__in`, matches nothing: no 500."""

import pytest

from guichet.accounts.models import Organisation, User

from .agents import signed_in

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999


def test_in_lookup_with_an_id_past_bigint_matches_nothing():
    assert list(Organisation.objects.filter(pk__in=[HUGE, -HUGE])) == []


def test_in_lookup_keeps_the_ids_in_range(organisations):
    sgg = organisations["SGG"]
    assert list(Organisation.objects.filter(pk__in=[HUGE, sgg.pk])) == [sgg]


def test_a_huge_id_posted_to_a_many_to_many_admin_field_is_a_form_error(client):
    client = signed_in(User.objects.create_superuser("root", password="x", kind="agent"))
    response = client.post("/admin/auth/group/add/", {"name": "Groupe", "permissions": str(HUGE)})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["permissions"]


def test_in_lookup_with_values_that_are_no_integers_matches_nothing():
    assert list(Organisation.objects.filter(pk__in=["abc", "1.5e308", "../"])) == []


def test_text_posted_to_an_autocomplete_admin_field_is_a_form_error(client):
    client = signed_in(User.objects.create_superuser("root", password="x", kind="agent"))
    response = client.post(
        "/admin/accounts/membership/add/", {"user": "abc", "organisation": "../", "role": "x"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"]
