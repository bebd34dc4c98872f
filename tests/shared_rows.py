"""Test rows made once and shared: an agent with its membership, and the rows a whole module's
tests read (ModuleRows, behind the root conftest's `module_rows` fixture)."""

from contextlib import contextmanager

from guichet.accounts.models import Membership, Organisation, Role, User


@contextmanager
def readonly_alias_on_default():
    """The "readonly" alias shares the default connection of this thread, so that heavy reads
    see what the test (or the module's rows) wrote in its uncommitted transaction."""
    from django.db import connections

    readonly = connections["readonly"]
    connections["readonly"] = connections["default"]
    try:
        yield
    finally:
        connections["readonly"] = readonly


def new_agent(username: str, role_code: str, org_code: str, **fields) -> User:
    """An agent with one membership: `role_code` in the organisation `org_code`."""
    user = User.objects.create_user(
        username=username, password="correct-horse-battery", kind=User.Kind.AGENT, **fields
    )
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code=org_code),
        role=Role.objects.get(code=role_code),
    )
    return user


class ModuleRows:
    """Rows a module's tests share, written once: in a transaction opened before the module's
    first test and rolled back after its last, as a TestCase's setUpTestData. Each test runs in a
    savepoint inside it, so what a test writes is undone before the next. Only for modules whose
    database tests are all rolled-back ones: a transactional test would empty the tables under
    the open transaction (the fixture refuses such a module)."""

    def __init__(self, blocker):
        self._blocker = blocker
        self._atomic = None

    def __call__(self, build):
        """Run `build()` inside the module's transaction and return what it returns."""
        from django.db import transaction

        with self._blocker.unblock():
            if self._atomic is None:
                self._atomic = transaction.atomic(using="default")
                # A test harness's block, as TestCase marks its own: durable blocks may open in
                # it, and the lock order (guichet.locks) restarts in each operation within it.
                self._atomic._from_testcase = True
                self._atomic.__enter__()
            with readonly_alias_on_default():  # sees the uncommitted rows
                return build()

    def roll_back(self):
        from django.db import transaction

        if self._atomic is None:
            return
        with self._blocker.unblock():
            transaction.set_rollback(True, using="default")
            self._atomic.__exit__(None, None, None)
        self._atomic = None
