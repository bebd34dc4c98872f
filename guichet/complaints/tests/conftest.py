import pytest
from django.core.cache import cache

from guichet.accounts.models import Region
from guichet.complaints import services
from guichet.complaints.models import Category, Complaint


@pytest.fixture(autouse=True)
def _isolation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_GATEWAY = "console"
    settings.INBOUND_TOKEN = "s3cret-token"
    # Rate-limit counters live in the cache: every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def categories(organisations) -> dict[str, Category]:
    rows = [
        ("sante-accueil", "Accueil dans un centre de santé", "Santé", "MSP-DQ", 10),
        ("sante-medicaments", "Médicaments", "Santé", "MSP-DQ", 5),
        ("transport-taxis", "Taxis et bus", "Transport", "MT-DTT", 10),
        ("autre", "Autre plainte", "Autre", "PRN-MED", 15),
    ]
    return {
        code: Category.objects.create(
            code=code,
            name=name,
            group=group,
            organisation=organisations[org],
            response_days=days,
        )
        for code, name, group, org, days in rows
    }


@pytest.fixture
def niamey(db) -> Region:
    return Region.objects.get(code="NE-8")


@pytest.fixture
def file(categories, niamey):
    """File a complaint with sensible defaults; keyword arguments override them."""

    def make(**fields) -> Complaint:
        values = {
            "category": categories["sante-accueil"],
            "description": "Personne à l'accueil du CSI de Lazaret ce matin.",
            "channel": Complaint.Channel.WEB,
            "region": niamey,
        }
        values.update(fields)
        return services.file_complaint(**values).complaint

    return make


@pytest.fixture
def handler(make_agent):
    return make_agent("agent.plaintes", "complaints_handler", "MSP-DQ")


@pytest.fixture
def head(make_agent):
    return make_agent("chef.msp", "head_of_service", "MSP")
