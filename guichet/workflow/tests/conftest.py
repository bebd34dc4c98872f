import pytest

from guichet.workflow import services
from guichet.workflow.models import Case


@pytest.fixture
def clerk(make_agent):
    return make_agent("clerk", "mail_clerk", "SGG-BC", email="clerk@example.ne")


@pytest.fixture
def head(make_agent):
    return make_agent("head", "head_of_service", "SGG", phone_number="+22790000001")


@pytest.fixture
def case(organisations, clerk):
    return services.open_case(
        kind=Case.Kind.MAIL, organisation=organisations["SGG-BC"], actor=clerk
    )
