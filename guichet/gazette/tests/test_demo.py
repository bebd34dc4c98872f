"""The demo tells the real story of Niger's personal-data law, and loads only once."""

import pytest

from guichet.gazette import demo, search, selectors
from guichet.gazette.models import Issue, Work
from guichet.gazette.tests.factories import D


@pytest.mark.django_db
def test_demo_shows_amendment_repeal_and_the_text_in_force_on_a_date():
    lines = []
    demo.load(lines.append)
    demo.load(lines.append)
    assert Work.objects.filter(status="published").count() == 4
    assert "déjà chargées" in lines[-1]
    law = Work.objects.get(number_normalized="2017-28")
    assert selectors.expression_at(law, D(2018, 1, 1)).date == D(2017, 5, 3)
    in_2020 = selectors.expression_at(law, D(2020, 6, 1))
    assert in_2020.amended_by.number_normalized == "2019-71"
    assert in_2020.parts.filter(eid="art_5bis").exists()
    assert selectors.repealed_on(law) == D(2022, 12, 30)
    in_force = {
        h.number
        for h in search.search(
            "protection données", search.Filters(status="in_force"), using="default"
        ).hits
    }
    assert "2017-28" not in in_force and "2022-59" in in_force
    assert Issue.objects.filter(status="published").count() == 4
