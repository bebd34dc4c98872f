"""Attack suite, issue 9: one lock order (guichet.locks), checked, and held under load.

Mail registration once took the audit chain, then the register counter, while another took them
the other way round: one 500 in 404 parallel registrations. Every multi-lock service now takes
its locks through `guichet.locks`, which refuses a lock of a lower rank than one already held.
"""

import threading

import pytest
from django.db import connection, transaction

from guichet import locks
from guichet.accounts.models import Organisation, User
from guichet.audit.models import AuditEntry
from guichet.audit.services import sequence_pending
from guichet.correspondence import services as mail_services
from guichet.correspondence.models import Mail, RegisterCounter


@pytest.mark.django_db
def test_a_lock_of_a_lower_rank_after_a_higher_one_is_refused():
    with transaction.atomic():
        list(locks.rows(Mail.objects.all()))
        assert locks.held_rank() == locks.Rank.ROW
        with pytest.raises(locks.LockOrderError, match="Lock order"):
            locks.key(1, "a register")
        with pytest.raises(locks.LockOrderError):
            locks.rows(RegisterCounter.objects.all(), locks.Rank.KEY)


@pytest.mark.django_db
def test_the_order_is_per_transaction_and_repeats_of_a_rank_are_allowed():
    with transaction.atomic():
        locks.key(1, "first")
        locks.key(1, "second")
        list(locks.rows(Mail.objects.all()))
    with transaction.atomic():
        assert locks.held_rank() == 0
        locks.key(1, "a new transaction starts from nothing")


def test_a_lock_outside_a_transaction_is_refused():
    with pytest.raises(locks.LockOrderError, match="inside a transaction"):
        locks.key(1, "nowhere")


THREADS = 10
ROUNDS = 2  # each round: an incoming mail from a new correspondent, then its reply


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_and_replies_never_deadlock(make_agent):
    clerks = [make_agent(f"greffe{i}", "mail_clerk", "SGG-BC").pk for i in range(THREADS)]
    unit = Organisation.objects.get(code="SGG-BC")
    barrier = threading.Barrier(THREADS)
    errors = []

    def work(index: int) -> None:
        try:
            clerk = User.objects.get(pk=clerks[index])
            barrier.wait()
            for round_ in range(ROUNDS):
                # A new correspondent: its contact (and audit entry) comes after the counter.
                incoming = mail_services.register_mail(
                    actor=clerk,
                    unit=unit,
                    direction=Mail.Direction.INCOMING,
                    subject=f"Demande {index}-{round_}",
                    correspondent_name=f"Correspondant {index}-{round_}",
                )
                mail_services.register_mail(
                    actor=clerk,
                    unit=unit,
                    direction=Mail.Direction.OUTGOING,
                    subject=f"Réponse {index}-{round_}",
                    correspondent=incoming.correspondent,
                    in_reply_to=incoming,
                )
        except Exception as error:  # reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a registration is stuck"
    assert errors == []
    expected = list(range(1, THREADS * ROUNDS + 1))
    for direction in (Mail.Direction.INCOMING, Mail.Direction.OUTGOING):
        numbers = sorted(Mail.objects.filter(direction=direction).values_list("number", flat=True))
        assert numbers == expected, direction
    assert Mail.objects.filter(in_reply_to__isnull=False).count() == THREADS * ROUNDS
    sequence_pending()
    sequences = sorted(AuditEntry.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
