import pytest

from guichet.accounts import demo as accounts_demo
from guichet.complaints import demo, services
from guichet.complaints.models import Category, Complaint
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_loads_categories_key_and_complaints_in_several_states_twice_alike(settings):
    settings.DEBUG = True
    lines = []
    accounts_demo.load(lambda line: None)
    demo.load(lines.append)
    demo.load(lines.append)
    assert Category.objects.count() == len(demo.CATEGORIES)
    assert Complaint.objects.count() == len(demo.COMPLAINTS)
    states = set(Case.objects.filter(kind="complaint").values_list("status", flat=True))
    assert states == {"received", "assigned", "in_progress", "answered", "closed", "rejected"}
    assert services.partner_for_key(demo.DEMO_OPEN311_KEY) is not None
    groups = set(Category.objects.values_list("organisation__path", flat=True))
    for administration in ("PRN/", "SGG/", "MJ/", "MSP/", "MT/"):
        assert any(path.startswith(administration) for path in groups)


def test_the_demo_key_exists_only_in_debug(settings):
    settings.DEBUG = False
    accounts_demo.load(lambda line: None)
    demo.load(lambda line: None)
    assert services.partner_for_key(demo.DEMO_OPEN311_KEY) is None
