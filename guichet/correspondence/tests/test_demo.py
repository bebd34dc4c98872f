import pytest

from guichet.accounts import demo as accounts_demo
from guichet.accounts.models import User
from guichet.correspondence import demo, selectors
from guichet.correspondence.models import Mail

pytestmark = pytest.mark.django_db


def test_demo_loads_mail_in_several_states_once(organisations):
    lines = []
    accounts_demo.load(lines.append)
    demo.load(lines.append)
    count = Mail.objects.count()
    demo.load(lines.append)
    assert Mail.objects.count() == count == 8
    states = set(Mail.objects.values_list("case__status", flat=True))
    assert {"received", "assigned", "in_progress", "closed"} <= states
    clerk = User.objects.get(username="demo.courrier")
    assert selectors.mails_visible_to(clerk).count() == 8
    assert Mail.objects.filter(visa="pending").exists()
