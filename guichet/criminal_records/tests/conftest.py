import datetime as dt

import pytest

from guichet.accounts.models import Commune, Organisation, Role
from guichet.criminal_records import services_requests
from guichet.criminal_records.models import Conviction, ConvictionEvent, Offence, Penalty, Person
from guichet.criminal_records.penalties import split_days


@pytest.fixture(autouse=True)
def _own_pki_and_media(settings, tmp_path_factory):
    # One test authority per run (generated once, reused), files out of the working tree.
    base = tmp_path_factory.getbasetemp()
    settings.SIGNING_DIR = base / "pki"
    settings.SIGNING_ALLOW_TEST_AUTHORITY = True
    settings.MEDIA_ROOT = base / "media"
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test into the next


@pytest.fixture
def offences(db):
    return {
        "vol": Offence.objects.create(code="VOL", label="Vol simple", category="delit"),
        "meurtre": Offence.objects.create(code="MEURTRE", label="Meurtre", category="crime"),
        "tapage": Offence.objects.create(
            code="TAPAGE", label="Tapage nocturne", category="contravention"
        ),
    }


@pytest.fixture
def niamey_commune(db):
    return Commune.objects.filter(region__code="NE-8").first()


@pytest.fixture
def zinder_commune(db):
    return Commune.objects.filter(region__code="NE-7").first()


@pytest.fixture
def make_person(db, niamey_commune):
    def make(**fields) -> Person:
        values = {
            "last_name": "Issoufou",
            "first_names": "Mahamadou",
            "sex": "M",
            "birth_year": 1980,
            "birth_month": 5,
            "birth_day": 12,
            "birth_commune": niamey_commune,
            "father_name": "Issoufou Abdou",
            "mother_name": "Hadiza Moussa",
        } | fields
        return Person.objects.create(**values)

    return make


@pytest.fixture
def convict(db, offences):
    """convict(person, "2010-03-01", prison=400, suspended=False, fine=0, events=[...]);
    `penalties=[{"kind": "life_imprisonment"}, …]` adds penalties as the model takes them;
    an event may be (kind, date) or (kind, date, {"commuted_to": …})."""

    def make(
        person,
        decided: str,
        *,
        offence="vol",
        prison=0,
        suspended=False,
        fine=0,
        final=True,
        b3_ordered=False,
        offence_date=None,
        events=(),
        penalties=(),
    ) -> Conviction:
        conviction = Conviction.objects.create(
            person=person,
            court=Organisation.objects.get(code="TGI-NIAMEY"),
            decision_date=dt.date.fromisoformat(decided),
            offence_date=dt.date.fromisoformat(offence_date) if offence_date else None,
            kind=Conviction.Kind.CONTRADICTORY,
            is_final=final,
            b3_mention_ordered=b3_ordered,
        )
        conviction.offences.set([offences[offence]])
        if prison:
            # A length given in days is stored as the court would have pronounced it.
            Penalty.objects.create(
                conviction=conviction, kind="prison", suspended=suspended, **split_days(prison)
            )
        if fine:
            Penalty.objects.create(conviction=conviction, kind="fine", amount=fine)
        for spec in penalties:
            penalty = Penalty(conviction=conviction, **spec)
            penalty.full_clean()
            penalty.save()
        for kind, day, *extra in events:
            ConvictionEvent.objects.create(
                conviction=conviction,
                kind=kind,
                date=dt.date.fromisoformat(day),
                reference="x",
                **(extra[0] if extra else {}),
            )
        return conviction

    return make


def _png() -> bytes:
    # Images are decoded and re-encoded without metadata before storage: they must be real.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (8, 8), 200).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def png_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="acte.png", content=PNG):
        return SimpleUploadedFile(name, content, content_type="image/png")

    return make


@pytest.fixture
def signed_in(client, make_agent):
    """signed_in(username, role, org): a client signed in as that agent, TOTP verified."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def make(username, role, org, *, verified=True):
        agent = make_agent(username, role, org)
        agent_client = Client()
        agent_client.force_login(agent)
        if verified:
            device = TOTPDevice.objects.create(user=agent, name="test", confirmed=True)
            session = agent_client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        agent_client.user = agent
        return agent_client

    return make


@pytest.fixture
def citizen_client(citizen):
    from django.test import Client

    c = Client()
    c.force_login(citizen)
    c.user = citizen
    return c


@pytest.fixture
def clerk(make_agent):
    """The clerk of the TGI of Niamey (a module may define its own)."""
    return make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")


@pytest.fixture
def ask(citizen, niamey_commune, png_upload):
    """ask(**fields) → a citizen's request for a bulletin n°3, Issoufou Mahamadou by default."""

    def make(**overrides):
        values = {
            "user": citizen,
            "last_name": "Issoufou",
            "first_names": "Mahamadou",
            "sex": "M",
            "birth_date": dt.date(1980, 5, 12),
            "birth_year": None,
            "birth_commune": niamey_commune,
            "birth_country": "",
            "father_name": "",
            "mother_name": "",
            "payment_method": "counter",
            "identity_proof_kind": "national_id",
            "identity_document": png_upload(),
        } | overrides
        return services_requests.submit_citizen_request(**values)

    return make


@pytest.fixture
def issued(make_agent, make_person, convict, niamey_commune):
    """A bulletin n°2 issued to an administration for Issoufou Mahamadou, who has one conviction."""
    from guichet.criminal_records import identification

    clerk = make_agent("x.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    administration = make_agent("x.admin", Role.ADMINISTRATION, "MSP-DRH")
    person = make_person()
    convict(person, "2010-01-01", prison=100)
    item = services_requests.submit_agent_request(
        user=administration,
        kind=2,
        reason="Recrutement",
        last_name="Issoufou",
        first_names="Mahamadou",
        sex="M",
        birth_date=dt.date(1980, 5, 12),
        birth_year=None,
        birth_commune=niamey_commune,
        birth_country="",
    )
    identification.link_person(actor=clerk, bulletin_request=item, person=person)
    return services_requests.issue_bulletin(actor=clerk, bulletin_request=item)
