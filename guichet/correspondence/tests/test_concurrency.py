"""Gap-free numbering under concurrent registrations (PostgreSQL: real row locks)."""

import contextlib
import threading

import pytest
from django.db import connection

from guichet.accounts.models import Organisation, User
from guichet.correspondence import services
from guichet.correspondence.models import Contact, Mail

WRITERS = 8
PER_WRITER = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_get_sequential_gap_free_numbers(transactional_db, make_agent):
    clerks = [make_agent(f"clerk{i}", "mail_clerk", "SGG-BC") for i in range(WRITERS)]
    contact = Contact.objects.create(
        name="Correspondant", directory=Organisation.objects.get(code="SGG")
    )
    unit = Organisation.objects.get(code="SGG-BC")
    barrier = threading.Barrier(WRITERS)
    errors = []

    def write(clerk_id: int) -> None:
        try:
            clerk = User.objects.get(pk=clerk_id)
            barrier.wait()
            for i in range(PER_WRITER):
                if i == 2:
                    # A registration that fails after taking its number must give it back.
                    with contextlib.suppress(Exception):
                        services.register_mail(
                            actor=clerk, unit=unit, direction="A", subject="", correspondent=contact
                        )
                services.register_mail(
                    actor=clerk, unit=unit, direction="A", subject=f"n{i}", correspondent=contact
                )
        except Exception as error:  # reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(clerk.pk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Mail.objects.values_list("number", flat=True))
    assert numbers == list(range(1, WRITERS * PER_WRITER + 1))
    assert Mail.objects.values("reference").distinct().count() == WRITERS * PER_WRITER
