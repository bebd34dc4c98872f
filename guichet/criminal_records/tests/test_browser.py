"""A citizen signs in with their phone and requests their bulletin n°3 on a small screen, then
follows it — in Chromium, with and without JavaScript. The SMS sign-in code is read from the
stored notification, as the SMS gateway would have delivered it."""

import re

import pytest

from guichet.criminal_records.models import BulletinRequest
from guichet.criminal_records.tests.conftest import PNG  # a real image
from guichet.notifications.models import Message


@pytest.mark.browser
@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "readonly"]
)
def test_citizen_requests_a_bulletin_3_online(browser_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = tmp_path / "pki"
    page = browser_page
    page.goto(f"{live_server.url}/casier/")
    page.click("text=Demander mon extrait (bulletin n°3)")

    # Phone sign-in: the code comes by SMS (stored as a notification message).
    page.fill("input[name=phone]", "90 11 22 33")
    page.click("button:has-text('Recevoir le code')")
    page.wait_for_selector("input[name=code]")
    sms = Message.objects.filter(recipient="+22790112233").latest("pk")
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    page.fill("input[name=code]", code)
    page.click("button:has-text('Valider')")

    page.wait_for_selector("h1:has-text('Demander mon extrait')")
    page.fill("input[name=last_name]", "Issoufou")
    page.fill("input[name=first_names]", "Mahamadou")
    page.select_option("select[name=sex]", "M")
    page.fill("input[name=birth_year]", "1985")
    page.select_option("select[name=birth_commune]", label="Niamey I (Niamey)")
    page.fill("input[name=father_name]", "Issoufou Garba")
    page.check("input[name=identity_proof_kind][value=national_id]")
    page.set_input_files(
        "input[name=identity_document]",
        files=[{"name": "cni.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.check("input[name=payment_method][value=fiscal_stamp]")
    page.fill("input[name=payment_reference]", "TF-241129-0001")
    page.click("button:has-text('Envoyer la demande')")

    page.wait_for_selector("#status")
    item = BulletinRequest.objects.get()
    assert item.reference in page.inner_text("h1")
    assert item.court.code == "TGI-NIAMEY" and item.fee_amount == 1150
    assert item.requester.phone_number == "+22790112233"
    assert Message.objects.filter(
        recipient="+22790112233", template="criminal_records/request_received"
    ).exists()

    page.goto(f"{live_server.url}/casier/mes-demandes/")
    assert item.reference in page.inner_text("main")


# --- The clerk's desk: an ambiguity, then a person unknown to the register ------------------------


def _clerk_session(page, live_server, make_agent):
    """Sign a clerk in (password and TOTP verified) and hand the session to the browser."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from guichet.accounts.models import Role

    clerk = make_agent("b.greffier", Role.COURT_CLERK, "TGI-NIAMEY")
    client = Client()
    client.force_login(clerk)
    device = TOTPDevice.objects.create(user=clerk, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def _request(citizen, commune, **identity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guichet.criminal_records import services_requests

    values = {
        "last_name": "Issoufou",
        "first_names": "Mahamadou",
        "sex": "M",
        "birth_date": None,
        "birth_year": 1980,
        "birth_commune": commune,
        "birth_country": "",
        "father_name": "",
        "mother_name": "",
    } | identity
    return services_requests.submit_citizen_request(
        user=citizen,
        payment_method="counter",
        identity_proof_kind="national_id",
        identity_document=SimpleUploadedFile("cni.png", PNG, "image/png"),
        **values,
    )


@pytest.mark.browser
def test_clerk_resolves_an_ambiguity_then_creates_a_neant_record(
    browser_page, live_server, settings, tmp_path, make_agent, citizen
):
    from guichet.accounts.models import Commune
    from guichet.criminal_records.models import Person

    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    niamey = Commune.objects.get(name="Niamey I")
    common = {
        "last_name": "Issoufou",
        "first_names": "Mahamadou",
        "sex": "M",
        "birth_year": 1980,
        "birth_commune": niamey,
        "mother_name": "Hadiza Moussa",
    }
    Person.objects.create(father_name="Abdou Issoufou", **common)
    wanted = Person.objects.create(father_name="Garba Souley", **common)
    ambiguous = _request(citizen, niamey)
    unknown = _request(citizen, niamey, last_name="Bako", first_names="Zeinabou", sex="F")
    _clerk_session(page, live_server, make_agent)

    # Two probable records: an ambiguity, no link offered until a fact tells them apart.
    page.goto(f"{live_server.url}/casier/greffe/demandes/{ambiguous.reference}/")
    assert "Ambiguïté" in page.inner_text("#ambiguity")
    assert page.locator('button:has-text("C\'est cette personne")').count() == 0
    assert page.locator("#create-person").count() == 0
    page.fill("#complete-identity input[name=father_name]", "Garba Souley")
    page.fill("#complete-identity input[name=reason]", "CNI n° 8-123-456")
    page.click("#complete-identity button")
    page.wait_for_selector(f"#candidate-{wanted.pk}")
    assert page.locator("#ambiguity").count() == 0
    page.click(f'#candidate-{wanted.pk} button:has-text("C\'est cette personne")')
    page.wait_for_selector("text=Fiche rattachée")
    ambiguous.refresh_from_db()
    assert ambiguous.person == wanted

    # Nobody in the register, even with sex and year relaxed: « Néant » with a reason.
    page.goto(f"{live_server.url}/casier/greffe/demandes/{unknown.reference}/")
    assert page.locator("#no-candidate").count() == 1
    page.fill("#create-reason", "Recherche élargie sans résultat, CNI vérifiée")
    page.click("#create-person button")
    page.wait_for_selector("text=Fiche créée")
    unknown.refresh_from_db()
    assert unknown.person.last_name == "Bako" and unknown.person.convictions.count() == 0


@pytest.mark.browser
def test_clerk_records_a_sentence_reduced_on_appeal(
    browser_page, live_server, settings, tmp_path, make_agent, make_person, convict
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    person = make_person()
    first = convict(person, "2012-01-10", prison=1095, final=False)  # 3 ans, appealed
    _clerk_session(page, live_server, make_agent)

    page.goto(f"{live_server.url}/casier/greffe/personnes/{person.pk}/?motif=Arr%C3%AAt+d%27appel")
    page.click("text=Décision sur recours (appel, opposition, pourvoi)")
    page.wait_for_selector("h1:has-text('Décision sur recours')")
    page.fill("input[name=date]", "2012-06-04")
    page.fill("input[name=reference]", "Cour d'appel de Niamey, arrêt n° 12")
    page.fill("input[name=prison_years]", "1")
    page.click("button:has-text('Enregistrer la décision')")

    page.wait_for_selector("text=Décision sur recours enregistrée")
    main = page.inner_text("main")
    assert "remplacée sur recours" in main
    assert "peine prononcée sur recours le 04/06/2012" in main
    assert list(first.penalties.filter(replaced_by__isnull=True).values_list("years")) == [(1,)]
