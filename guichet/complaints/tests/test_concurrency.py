"""On PostgreSQL, with real concurrent transactions: identical complaints sent at the same
instant become one complaint, and distinct ones are all kept with distinct references."""

import threading

import pytest
from django.db import connection

from guichet.accounts.models import Organisation, Region
from guichet.complaints import services
from guichet.complaints.models import Category, Complaint, DuplicateSubmission

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            target(n)
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.fixture
def category(transactional_db):
    return Category.objects.create(
        code="sante-accueil",
        name="Accueil",
        group="Santé",
        organisation=Organisation.objects.get(code="MSP-DQ"),
    )


def test_identical_complaints_at_the_same_instant_are_one_complaint(category):
    region = Region.objects.get(code="NE-8")

    def file(_n):
        services.file_complaint(
            category=category,
            description="Le CSI est fermé depuis ce matin.",
            channel=Complaint.Channel.WEB,
            region=region,
            phone="+22790123456",
        )

    run_in_threads(5, file)
    assert Complaint.objects.count() == 1
    assert DuplicateSubmission.objects.count() == 4


def test_distinct_complaints_at_the_same_instant_are_all_kept(category):
    region = Region.objects.get(code="NE-8")

    def file(n):
        services.file_complaint(
            category=category,
            description=f"Plainte numéro {n} : le CSI est fermé.",
            channel=Complaint.Channel.WEB,
            region=region,
            phone=f"+2279012345{n}",
        )

    run_in_threads(8, file)
    assert Complaint.objects.count() == 8
    assert len(set(Complaint.objects.values_list("reference", flat=True))) == 8
