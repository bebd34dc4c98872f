"""The public EIG API: promotions, accepted challenges (filters), teams with public notes only;
nothing personal, no draft, no internal note; bounded pages; bad parameters are a French 400."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from guichet.talents import services
from guichet.talents.api import BoundedPagination
from guichet.talents.models import Member, Profile, ProgressNote

pytestmark = pytest.mark.django_db


def _get(name, promotion=None, **params):
    kwargs = {"slug": promotion.slug} if promotion else {}
    return Client().get(reverse(f"talents:{name}", kwargs=kwargs), params)


@pytest.fixture
def team(make_challenge, make_candidate, promotion):
    challenge = make_challenge()
    candidate = make_candidate()
    application = services.submit_application(
        services.save_application(candidate, promotion, [(challenge, "Motivation secrète.")])
    )
    member = Member.objects.create(
        promotion=promotion,
        challenge=challenge,
        candidate=candidate,
        choice=application.choices.get(),
        public_name="Aminatou H.",
    )
    ProgressNote.objects.create(challenge=challenge, author=member, body="Prototype livré.")
    ProgressNote.objects.create(
        challenge=challenge, author=member, body="Note interne confidentielle.", public=False
    )
    challenge.results = "12 000 extraits délivrés."
    challenge.save()
    return challenge


def test_promotions_give_the_calendar(promotion):
    body = _get("api_promotions").json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["slug"] == promotion.slug
    assert item["call_closes_at"] and item["interviews_from"] and item["ends_on"]


def test_challenges_are_the_accepted_ones_only(make_challenge, promotion):
    make_challenge()
    make_challenge(title="Brouillon du SGG", owner="owner_sgg", org="SGG", accept=False)
    body = _get("api_challenges", promotion).json()
    assert [c["title"] for c in body["results"]] == ["Le casier judiciaire numérique"]
    text = str(body)
    assert "Brouillon du SGG" not in text
    assert "review_note" not in text and "owner" not in body["results"][0]


def test_challenges_filter_by_administration_and_profile(make_challenge, promotion):
    make_challenge()
    make_challenge(title="Le Journal officiel", owner="owner_sgg", org="SGG")
    by_org = _get("api_challenges", promotion, administration="SGG").json()
    assert [c["title"] for c in by_org["results"]] == ["Le Journal officiel"]
    assert by_org["results"][0]["organisation"]["code"] == "SGG"
    other = Profile.objects.exclude(code="developpeur").first()
    assert _get("api_challenges", promotion, profile="developpeur").json()["count"] == 2
    assert _get("api_challenges", promotion, profile=other.code).json()["count"] == 0


def test_teams_show_public_notes_and_results_but_nothing_personal(team, promotion):
    body = _get("api_teams", promotion).json()
    (item,) = body["results"]
    assert item["members"] == ["Aminatou H."]
    assert [n["body"] for n in item["notes"]] == ["Prototype livré."]
    assert item["challenge"]["results"] == "12 000 extraits délivrés."
    text = str(body)
    for secret in ("Note interne", "Motivation secrète", "Aminatou Harouna", "example.ne", "+227"):
        assert secret not in text


@pytest.mark.parametrize(
    "params",
    [{"limit": "abc"}, {"limit": "0"}, {"offset": "-1"}, {"administration": "a b"}, {"x": "1"}],
)
def test_bad_parameters_are_a_french_400(params, promotion):
    response = _get("api_challenges", promotion, **params)
    assert response.status_code == 400
    assert any(
        word in str(response.json())
        for word in ("doit", "inconnu", "valide", "Saisissez", "Assurez")
    )


def test_pages_are_bounded(make_challenge, promotion):
    make_challenge()
    body = _get("api_challenges", promotion, limit="100000").json()
    assert body["count"] == 1
    response = _get("api_promotions", limit="100000")
    assert response.status_code == 200


def test_unknown_promotion_is_404(db):
    response = Client().get(reverse("talents:api_challenges", kwargs={"slug": "nope"}))
    assert response.status_code == 404


def _paginator_request(**params):
    return Request(APIRequestFactory().get("/", params))


@pytest.mark.parametrize("raw", ["²", "٣", "³5", "-1", " 5", "0", "00"])
def test_the_limit_is_ascii_digits_or_refused(raw):
    # « ² » passes str.isdigit(): it used to be read silently as the default limit.
    with pytest.raises(ValidationError, match="limit"):
        BoundedPagination().get_limit(_paginator_request(limit=raw))


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), ("007", 7), ("100000", 100), ("9" * 5000, 100), ("", 20)]
)
def test_a_plain_limit_is_read_and_bounded(raw, expected):
    assert BoundedPagination().get_limit(_paginator_request(limit=raw)) == expected


@pytest.mark.parametrize("raw", ["²", "٣", "-1"])
def test_the_offset_is_ascii_digits_or_refused(raw):
    with pytest.raises(ValidationError, match="offset"):
        BoundedPagination().get_offset(_paginator_request(offset=raw))
