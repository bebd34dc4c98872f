import pytest

from guichet.workflow import services
from guichet.workflow.models import Case


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 costs most of a test's time on a busy machine; these tests are not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
