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


@pytest.mark.django_db
def test_each_user_gets_what_the_matrix_declares(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    settings.SMS_GATEWAY = "console"
    users = {
        "anonymous": None,
        "citizen": User.objects.create(
            username="+22790111111", phone_number="+22790111111", kind=User.Kind.CITIZEN
        ),
    }
    for role in AGENT_ROLES:
        users[role] = agent(role)
    clients = {label: signed_in(user) if user else Client() for label, user in users.items()}
    wrong = []
    observed: dict = {}
    for pattern in walk():
        expected = _expected(pattern)
        if expected is None:  # reported by test_every_url_pattern_has_a_permission_rule;
            expected = {label: ("?", "?") for label in users}  # still observed, for the dump
        labels = list(users)
        if pattern.is_admin:
            labels = ["anonymous", "citizen", "platform_admin"]  # everyone non-staff alike
        url = fill(pattern, _benign(pattern))
        for label in labels:
            for index, method in enumerate(("get", "post")):
                cache.clear()  # rate limits would otherwise depend on the order of requests
                got = outcome(getattr(clients[label], method)(url))
                observed.setdefault(pattern.name, {}).setdefault(label, []).append(got)
                if got != expected[label][index]:
                    wrong.append(
                        f"{pattern.name} {method.upper()} as {label}: {got}, "
                        f"declared {expected[label][index]}"
                    )
                if label != "anonymous" and "_auth_user_id" not in clients[label].session:
                    clients[label] = signed_in(users[label])
    if os.environ.get("GUICHET_MATRIX_DUMP"):  # to review a new table: the answers seen
        with open(os.environ["GUICHET_MATRIX_DUMP"], "w") as out:
            json.dump(observed, out, indent=1)
    assert not wrong, "\n".join(wrong)
