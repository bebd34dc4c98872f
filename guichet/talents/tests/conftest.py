from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import Region, User
from guichet.talents import services
from guichet.talents.models import Candidate, Criterion, Profile, Promotion

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_upload(name="cv.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def promotion(db):
    now = timezone.now()
    promotion = Promotion.objects.create(
        name="Promotion 2027",
        slug="promotion-2027",
        call_opens_at=now - timedelta(days=5),
        call_closes_at=now + timedelta(days=20),
        interviews_from=(now + timedelta(days=25)).date(),
        interviews_until=(now + timedelta(days=35)).date(),
        starts_on=(now + timedelta(days=60)).date(),
        ends_on=(now + timedelta(days=360)).date(),
    )
    for order, (round_, label, weight, top) in enumerate(
        [
            (Criterion.Round.REVIEW, "Compréhension du défi", "3", 5),
            (Criterion.Round.REVIEW, "Compétences", "1", 5),
            (Criterion.Round.INTERVIEW, "Entretien", "1", 10),
        ]
    ):
        Criterion.objects.create(
            promotion=promotion,
            round=round_,
            label=label,
            weight=Decimal(weight),
            max_score=top,
            order=order,
        )
    return promotion


@pytest.fixture
def agents(make_agent):
    return {
        "manager": make_agent("ansi.manager", "programme_manager", "ANSI"),
        "jury_ansi": make_agent("ansi.jury", "jury_member", "ANSI"),
        "jury_ansi2": make_agent("ansi.jury2", "jury_member", "ANSI"),
        "jury_mj": make_agent("mj.jury", "jury_member", "MJ"),
        "owner_mj": make_agent("mj.owner", "challenge_owner", "MJ"),
        "owner_sgg": make_agent("sgg.owner", "challenge_owner", "SGG"),
    }


def challenge_fields(title="Le casier judiciaire numérique"):
    return {
        "title": title,
        "problem": "Les fiches sont sur papier.",
        "who_suffers": "Les candidats à un emploi.",
        "data_and_systems": "Fiches papier.",
        "expected_impact": "Un bulletin en ligne.",
        "mentor_name": "M. Issa",
        "mentor_title": "Directeur",
        "location": "Niamey",
    }


@pytest.fixture
def make_challenge(agents, organisations, promotion):
    def make(title="Le casier judiciaire numérique", owner="owner_mj", org="MJ", accept=True):
        challenge = services.draft_challenge(
            actor=agents[owner],
            organisation=organisations[org],
            profiles=Profile.objects.filter(code="developpeur"),
            **challenge_fields(title),
        )
        services.submit_challenge(challenge, actor=agents[owner])
        if accept:
            challenge = services.review_challenge(
                challenge,
                actor=agents["manager"],
                decision="accept",
                reason="",
                promotion=promotion,
            )
        return challenge

    return make


@pytest.fixture
def make_candidate(db):
    def make(phone="+22796000001", name="Aminatou Harouna", sex="F", verified=True):
        user = User.objects.create(username=phone, phone_number=phone, kind=User.Kind.CITIZEN)
        candidate = services.save_candidate(
            user,
            profiles=Profile.objects.filter(code="developpeur"),
            cv=pdf_upload(),
            full_name=name,
            email=f"{phone[1:]}@example.ne",
            region=Region.objects.get(code="NE-8"),
            sex=sex,
            birth_year=1995,
            skills="Python, Django",
            links="https://example.org/code",
            availability="Dès janvier",
        )
        if verified:
            services.verify_email(services.email_token(candidate))
            candidate.refresh_from_db()
        return candidate

    return make


@pytest.fixture
def submitted(make_candidate, make_challenge, promotion):
    """Two candidates who applied to the Justice challenge; the call then closes."""

    def make():
        challenge = make_challenge()
        applications = []
        for phone, name in [("+22796000001", "Aminatou Harouna"), ("+22796000002", "Ali Moussa")]:
            candidate = make_candidate(phone=phone, name=name)
            application = services.save_application(
                candidate, promotion, [(challenge, "Je connais bien les greffes.")]
            )
            applications.append(services.submit_application(application))
        return challenge, applications

    return make


def close_call(promotion):
    promotion.call_closes_at = timezone.now() - timedelta(minutes=1)
    promotion.call_opens_at = promotion.call_closes_at - timedelta(days=30)
    promotion.save()


def agent_client(user, *, verified=True) -> Client:
    client = Client()
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def citizen_client(candidate: Candidate) -> Client:
    client = Client()
    client.force_login(candidate.user)
    return client
