"""Every URL pattern of the project, crawled with hostile values as every kind of user.

For each pattern (found by walking the resolver, so new apps are covered without editing this
file) and each user — anonymous, a citizen, one agent per role — the crawler:
1. GETs the pattern with ordinary path values, reads the names of the page's inputs;
2. GETs it again with a hostile value in each path parameter and in each query field (the page's
   inputs, the names the view's module reads from request.GET/POST, and a few common ones);
3. POSTs hostile values in each form field.
Hostile values: NUL, invalid UTF-8, 99999999999999999999, -1, "../../", 10,000 characters, wrong
types (text for numbers, a date that does not exist, JSON-ish text), and the ids and references of
the Health ministry's objects, which no user here may see.
Asserted: no answer is a 5xx, and no answer shows a marker written only in the Health ministry's
objects (or in another citizen's). Values rotate across users so each is tried on every pattern
while the crawl stays bounded: users a pattern refuses get one hostile GET (refusal comes before
any parsing), users it admits a hostile GET, a hostile POST and an unreadable-text GET.
"""

import collections
import os
import re
import time
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve

from guichet.accounts.models import Organisation, Role, User

from .agents import OTHER_MINISTRY, agent, signed_in
from .foreign_scope import MARKER, seed_foreign_scope
from .permissions_matrix import AGENT_ROLES
from .url_patterns import Pattern, fill, regex_sample, walk

pytestmark = pytest.mark.django_db

INVALID_UTF8 = "%FF%FE%C3%28"
# Refused at the edge (guichet/request_text.py) whatever the view: one request each suffices.
UNREADABLE = ["%00", INVALID_UTF8]
# Values that reach the views; each field of a request gets a different one.
HOSTILE = [
    "99999999999999999999",
    "-1",
    quote("../../etc/passwd", safe=""),
    "x" * 10_000,
    "abc",
    "2024-13-45",
    quote('{"a": [1]}', safe=""),
    "0",
    "1.5e308",
    "-99999999999999999999",
]
# Values for path parameters, by converter (what the converter lets through).
PATH_HOSTILE = {
    "int": ["99999999999999999999", "0", "4294967296"],
    "slug": ["x" * 2000, "--", "a" * 80],
    "str": ["..", "x" * 2000, "%2E%2E", "abc", quote("é" * 50), "-1"],
    "o311fmt": ["json", "xml"],
    "o311code": ["x" * 500, "a-b_c", "9" * 20],
}
COMMON_FIELDS = ["page", "q", "next", "id", "format", "date"]
# CPU seconds of the test process for one user's crawl (wall-clock time depends on how loaded the
# shared machine is): a bound on the crawl's size, not a speed check. CPU time too grows with the
# machine's load (the whole crawl took 98 s at load 7–10, 2026-12-02: about 7 s per user, the
# superuser's admin pages the most), hence the margin.
CPU_BUDGET_PER_USER = 40
# One test per user, so that xdist spreads the crawl over its workers. Their order gives each user
# its turn, which rotates the hostile values (test_the_matrix_names_every_agent_role keeps
# AGENT_ROLES equal to the roles in the database).
USERS = ["anonymous", "citizen", *sorted(AGENT_ROLES), "superuser"]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_GATEWAY = "console"
    from django.core.cache import cache

    cache.clear()


def user_for(label: str) -> User | None:
    """None for anonymous; a citizen; one agent of the role (in the SGG tree, a court or the
    transit service); a superuser for the admin site."""
    if label == "anonymous":
        return None
    if label == "citizen":
        return User.objects.create(
            username="+22790111111", phone_number="+22790111111", kind=User.Kind.CITIZEN
        )
    if label == "superuser":
        return User.objects.create_superuser("crawler-admin", password="x", kind=User.Kind.AGENT)
    return agent(label)


_INPUT = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
_FORM = re.compile(r"<form\b[^>]*>", re.I)


def _field_names(html: str) -> tuple[set[str], set[str]]:
    """(names in GET forms, names in POST forms) of a page, roughly: a form's inputs follow it."""
    get_names, post_names = set(), set()
    chunks = _FORM.split(html)
    tags = _FORM.findall(html)
    for tag, chunk in zip(tags, chunks[1:], strict=False):
        chunk = chunk.split("</form>", 1)[0]
        names = set(_INPUT.findall(chunk)) - {"csrfmiddlewaretoken"}
        (post_names if 'method="post"' in tag.lower() else get_names).update(names)
    return get_names, post_names


def _benign(pattern: Pattern) -> dict[str, str]:
    values = {}
    for name, converter in pattern.parameters:
        if converter.startswith("regex:"):
            values[name] = quote(regex_sample(converter[6:]), safe="/")
        else:
            values[name] = {"int": "1", "o311fmt": "json"}.get(converter, "abc")
    return values


def _hostile_path(pattern: Pattern, turn: int, foreign: dict[str, list[str]]) -> str | None:
    values = _benign(pattern)
    for offset, (name, converter) in enumerate(pattern.parameters):
        if converter.startswith("regex:"):
            choices = [values[name] + value for value in PATH_HOSTILE["str"]]
        else:
            choices = PATH_HOSTILE.get(converter, PATH_HOSTILE["str"]) + foreign.get(converter, [])
        values[name] = choices[(turn + offset) % len(choices)]
    path = fill(pattern, values)
    try:
        match = resolve(path)
    except (Resolver404, NoReverseMatch):
        return None
    return path if match.func is pattern.callback else None


def _query(names: list[str], turn: int) -> str:
    return "&".join(
        f"{quote(name)}={HOSTILE[(turn + index) % len(HOSTILE)]}"
        for index, name in enumerate(sorted(names))
    )


STATUSES: collections.Counter = collections.Counter()


def _assert_sound(response, where: str, user: str, problems: list[str]) -> None:
    STATUSES[(user, where.split(" ", 1)[0], response.status_code)] += 1
    if os.environ.get("GUICHET_CRAWL_TRACE") and os.environ["GUICHET_CRAWL_TRACE"] in where:
        print(user, where[:160], response.status_code)
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        cause = f" ({error[1]!r})" if error else ""
        problems.append(f"{user}: {where} answered {response.status_code}{cause}")
    body = b"".join(response) if response.streaming else response.content
    # A superuser is global by design (the admin site); everyone else is bounded by scope.
    if MARKER.encode() in body and user != "superuser":
        problems.append(f"{user}: {where} shows another scope's object")


@pytest.mark.parametrize("label", USERS)
def test_no_pattern_answers_5xx_or_leaks_another_scope_under_hostile_input(
    label, organisations, django_capture_on_commit_callbacks
):
    foreign = seed_foreign_scope()
    patterns = walk()
    assert len(patterns) > 100  # the walk reached every app's patterns
    turn = USERS.index(label)
    user = user_for(label)
    started = time.process_time()
    problems: list[str] = []
    client = signed_in(user) if user else _anonymous()
    for index, pattern in enumerate(patterns):
        if pattern.is_admin and label not in ("anonymous", "superuser"):
            continue  # the admin site: every non-staff user is refused alike, as anonymous is
        _crawl(client, label, pattern, turn + index, foreign, problems)
        if user is not None and "_auth_user_id" not in client.session:
            client = signed_in(user)  # the crawl went through sign-out: sign in again
    elapsed = time.process_time() - started
    if os.environ.get("GUICHET_CRAWL_TRACE"):
        print(label, f"{elapsed:.1f} CPU s", sorted(STATUSES.items()))
    assert not problems, "\n".join(problems)
    assert elapsed < CPU_BUDGET_PER_USER, f"the crawl as {label} took {elapsed:.0f} CPU seconds"


def test_every_role_of_the_database_is_crawled():
    assert set(USERS) - {"anonymous", "citizen", "superuser"} == set(
        Role.objects.values_list("code", flat=True)
    )


def _anonymous():
    from django.test import Client

    return Client(raise_request_exception=False)


def _crawl(client, label: str, pattern: Pattern, turn: int, foreign, problems) -> None:
    """Users the pattern lets in get every hostile request; the others (refused before the view
    reads anything) get hostile path and query values once."""
    benign = fill(pattern, _benign(pattern))
    response = client.get(benign)
    _assert_sound(response, f"GET {benign}", label, problems)
    admitted = response.status_code == 200 or (label == "superuser" and pattern.is_admin)
    get_names, post_names = set(), set()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        get_names, post_names = _field_names(response.content.decode(errors="replace"))
    read = pattern.read_parameters()
    path = _hostile_path(pattern, turn, foreign) or benign
    names = sorted(get_names | read | set(COMMON_FIELDS))
    url = f"{path}?{_query(names, turn)}"
    _assert_sound(client.get(url), f"GET {url[:200]}", label, problems)
    if not admitted:
        return
    if pattern.is_admin and not post_names:
        return  # admin pages without a form (lists, history) take no POST worth sending
    fields = sorted(post_names | read) or ["text"]
    body = _query(fields, turn + 1).encode()
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    _assert_sound(response, f"POST {path[:200]} {body[:200]!r}", label, problems)
    unreadable = UNREADABLE[turn % 2]
    url = f"{path}?{names[turn % len(names)]}=a{unreadable}"
    response = client.get(url)
    _assert_sound(response, f"GET {url[:200]}", label, problems)
    if response.status_code != 400:
        problems.append(f"{label}: GET {url[:200]} let unreadable text through")


def test_the_crawl_covers_every_pattern_including_later_ones():
    """The walk goes through includes: every app's namespace is there, admin included."""
    names = {pattern.name.split(":")[0] for pattern in walk() if ":" in pattern.name}
    assert {"accounts", "correspondence", "complaints", "criminal_records", "gazette"} <= names
    assert {"transit", "notifications", "admin"} <= names


def test_the_foreign_scope_is_outside_every_crawling_agent(organisations):
    from .agents import HOME_ORGANISATION

    health = Organisation.objects.get(code=OTHER_MINISTRY)
    for org_code in HOME_ORGANISATION.values():
        org = Organisation.objects.get(code=org_code)
        assert not health.subtree().filter(pk=org.pk).exists()
        assert not org.subtree().filter(pk=health.pk).exists()
