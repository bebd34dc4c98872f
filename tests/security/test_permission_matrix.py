"""Role × URL × method, generated from the URL patterns (NetBox-style generic view tests).

Every pattern found by walking the resolver must have an entry in permissions_matrix.MATRIX (or
its namespace in NAMESPACE_RULES): a new view without a declared rule fails here. Each entry is
then checked for anonymous, a citizen and one agent per role, with GET and POST."""

import json
import os

import pytest
from django.core.cache import cache
from django.test import Client

from guichet.accounts.models import Role, User

from .agents import agent, signed_in
from .permission_outcomes import outcome
from .permissions_matrix import AGENT_ROLES, MATRIX, NAMESPACE_RULES
from .test_crawler import _benign
from .url_patterns import fill, walk


def _expected(pattern):
    if pattern.name in MATRIX:
        return MATRIX[pattern.name]
    if pattern.is_admin:  # named "admin:…" or, for the admin's unnamed patterns, by route
        return NAMESPACE_RULES["admin"]
    return MATRIX.get(pattern.name) or NAMESPACE_RULES.get(pattern.name.split(":")[0])


def test_every_url_pattern_has_a_permission_rule():
    missing = sorted({p.name for p in walk() if _expected(p) is None})
    assert not missing, f"URL patterns without a rule in permissions_matrix.py: {missing}"


@pytest.mark.django_db
def test_the_matrix_names_every_agent_role():
    assert set(AGENT_ROLES) == set(Role.objects.values_list("code", flat=True))


def test_the_matrix_has_no_entry_for_a_url_that_is_gone():
    names = {p.name for p in walk()}
    assert not set(MATRIX) - names


# One test per user, so that xdist spreads the matrix over its workers.
USERS = ["anonymous", "citizen", *AGENT_ROLES]
# The admin site refuses every non-staff user alike: three users stand for all.
ADMIN_USERS = ("anonymous", "citizen", "platform_admin")


@pytest.mark.django_db
@pytest.mark.parametrize("label", USERS)
def test_each_user_gets_what_the_matrix_declares(label, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SMS_GATEWAY = "console"
    if label == "anonymous":
        user = None
    elif label == "citizen":
        user = User.objects.create(
            username="+22790111111", phone_number="+22790111111", kind=User.Kind.CITIZEN
        )
    else:
        user = agent(label)
    client = signed_in(user) if user else Client()
    wrong = []
    observed: dict = {}
    for pattern in walk():
        expected = _expected(pattern)
        if expected is None:  # reported by test_every_url_pattern_has_a_permission_rule;
            expected = {name: ("?", "?") for name in USERS}  # still observed, for the dump
        if pattern.is_admin and label not in ADMIN_USERS:
            continue
        url = fill(pattern, _benign(pattern))
        for index, method in enumerate(("get", "post")):
            cache.clear()  # rate limits would otherwise depend on the order of requests
            got = outcome(getattr(client, method)(url))
            observed.setdefault(pattern.name, []).append(got)
            if got != expected[label][index]:
                wrong.append(
                    f"{pattern.name} {method.upper()} as {label}: {got}, "
                    f"declared {expected[label][index]}"
                )
            if user is not None and "_auth_user_id" not in client.session:
                client = signed_in(user)
    if os.environ.get("GUICHET_MATRIX_DUMP"):  # to review a new table: the answers seen
        with open(f"{os.environ['GUICHET_MATRIX_DUMP']}.{label}.json", "w") as out:
            json.dump(observed, out, indent=1)
    assert not wrong, "\n".join(wrong)
