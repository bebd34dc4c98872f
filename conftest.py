"""Fixtures shared by every app's tests."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from guichet.accounts.models import Organisation, User
from guichet.audit.database import install_test_flush_permission
from tests import flush_and_reload
from tests.shared_rows import ModuleRows, new_agent, readonly_alias_on_default

# Audit trail: the database refuses to empty it; only the flush between transactional tests may.
install_test_flush_permission()
# Between transactional tests: flush only the tables with rows, reload reference rows in bulk.
flush_and_reload.install()

CHROMIUM = os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium")

# --- Platform: tests write only into temporary folders; hypothesis tolerates a loaded machine ----
# Property tests run on shared 2-core machines: no per-example deadline, no "too slow" health
# check (data generation slows down with the load, not with our code), and no example database
# written into the checkout (.hypothesis/).
hypothesis_settings.register_profile(
    "guichet",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
hypothesis_settings.load_profile(os.environ.get("GUICHET_HYPOTHESIS_PROFILE", "guichet"))


def pytest_configure(config):
    """Media, signing keys and collected static files of the whole run (of each xdist worker) go
    to one temporary folder, removed at the end: never into the developer's var/."""
    from django.conf import settings

    base = Path(tempfile.mkdtemp(prefix="guichet-tests-"))
    config._guichet_tmp = base
    settings.MEDIA_ROOT = base / "media"
    settings.SIGNING_DIR = base / "pki"
    settings.STATIC_ROOT = base / "static"
    settings.VAR_DIR = base
    # Argon2 as configured costs about 0.3 s of CPU per password set or checked, and the suite
    # creates agents by the hundred. Servers started in subprocesses read the settings module and
    # hash as in production; tests/security/test_password_storage.py checks the real setting.
    config._guichet_password_hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_unconfigure(config):
    base = getattr(config, "_guichet_tmp", None)
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)


# -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized reference rows on the connection class, not only on the connection
    object: Playwright's event loop gives the main thread a new context, hence new connection
    objects, which would otherwise come without them and serialized rollback would restore
    nothing."""
    from django.db import connections

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        type(connections["default"])._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture(autouse=True)
def _production_password_hashing(request):
    """The run hashes with MD5 (pytest_configure); tests marked `production_password_hashing`
    get the settings module's hashers back."""
    if request.node.get_closest_marker("production_password_hashing") is None:
        yield
        return
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=request.config._guichet_password_hashers):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """Rate-limit counters (and anything else cached) must not leak from one test into the next:
    a journey run twice, with and without JavaScript, would be throttled the second time."""
    from django.core.cache import cache

    from guichet.process_memo import forget_all

    cache.clear()
    forget_all()  # rows kept per process (process_memo.py) were rolled back with their test
    yield
    cache.clear()
    forget_all()


@pytest.fixture(autouse=True)
def _french_again_after_each_test():
    """PreferredLanguageMiddleware activates the request's language in the thread and leaves it
    active after the response (as Django's LocaleMiddleware does). A test whose client chose
    English would leave the next test in English: a bulletin rendered outside any request then
    read « Sexe Male » and failed far from its cause."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _readonly_alias_is_the_test_connection(request):
    """Heavy reads name the "readonly" alias. In tests it must see what the test wrote inside its
    (uncommitted) transaction, so it shares the default connection of the test's thread — set up
    after pytest-django has opened the test's database, and put back before it closes it."""
    uses_db = "_django_db_helper" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    )
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    with readonly_alias_on_default():
        yield


@pytest.fixture
def organisations(db) -> dict[str, Organisation]:
    """The reference tree (loaded by migration): code → organisation."""
    return {org.code: org for org in Organisation.objects.all()}


@pytest.fixture
def make_agent(db):
    return new_agent


@pytest.fixture(scope="module")
def module_rows(request, django_db_setup, django_db_blocker):
    """`module_rows(build)` in a module-scoped fixture: see ModuleRows."""
    from tests.slow_tests import TRANSACTIONAL, database_kind

    transactional = [
        item.nodeid
        for item in request.session.items
        if item.module is request.module and database_kind(item) == TRANSACTIONAL
    ]
    assert not transactional, f"module_rows in a module with transactional tests: {transactional}"
    rows = ModuleRows(django_db_blocker)
    yield rows
    rows.roll_back()


@pytest.fixture
def citizen(db) -> User:
    return User.objects.create(
        username="+22790123456", phone_number="+22790123456", kind=User.Kind.CITIZEN
    )


@pytest.fixture(scope="session")
def _browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("GUICHET_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"Chromium is required (GUICHET_REQUIRE_BROWSER=1) but {CHROMIUM} is missing"
            )
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=["js", "nojs"])
def browser_page(request, _browser):
    """A fresh page, once with JavaScript and once without: every journey must work without it."""
    context = _browser.new_context(
        java_script_enabled=request.param == "js",
        viewport={"width": 360, "height": 740},
        locale="fr-FR",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _restore_migration_data_after_flushes(items) -> None:
    """Transactional tests (live servers, threads) empty the database when they end, taking the
    reference rows that migrations loaded (organisations, roles, holidays, authority codes) with
    them. Serialized rollback puts them back before each such test. Their servers and threads
    open connections of their own, "readonly" included, so that alias is allowed too."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        transactional = kwargs.get("transaction") or bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        )
        if transactional:
            kwargs.update(transaction=True, serialized_rollback=True)
            kwargs.setdefault("databases", ["default", "readonly"])
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    from tests.slow_tests import longest_first

    _restore_migration_data_after_flushes(items)
    longest_first(items)

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
    if not (os.environ.get("GUICHET_TEST_REDIS_URL") or os.environ.get("REDIS_URL")):
        skip = pytest.mark.skip(reason="needs a Redis server (set GUICHET_TEST_REDIS_URL)")
        for item in items:
            if "redis" in item.keywords:
                item.add_marker(skip)
