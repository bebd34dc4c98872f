"""The whole path of a promotion, as the people involved live it, in Chromium at 360 px, with and
without JavaScript: a challenge drafted by the Ministry of Justice and accepted by ANSI; two
candidates apply (one withdraws); the call closes; two reviewers score the anonymous file after a
third declared a conflict; ANSI shortlists; the candidate picks an interview slot; ANSI decides;
the candidate is told by SMS and e-mail; the promotion page shows the team."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.notifications.models import Message
from guichet.talents.models import Application, Choice, Promotion, ReviewAssignment
from guichet.talents.tests.conftest import PDF
from tests import phone_width

PASSWORD = "correct-horse-battery"


def _fits(page):
    assert phone_width.fits(page), page.url


def _agent_sign_in(page, base, username, device=None):
    page.goto(f"{base}/agents/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button:has-text('Se connecter')")
    if device is not None:
        page.wait_for_selector("input[name=token]")
        # A code is accepted once: each sign-in here stands for another 30-second step.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.fill("input[name=token]", f"{totp.token():0{device.digits}d}")
        page.click("main button:has-text('Vérifier')")
    page.wait_for_load_state()


def _sign_out(page):
    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_load_state()


def _citizen_sign_in(page, base, phone_digits, e164):
    page.goto(f"{base}/eig/candidature/")
    page.fill("input[name=phone]", phone_digits)
    page.click("main button:has-text('Recevoir le code')")
    page.wait_for_selector("input[name=code]")
    sms = Message.objects.filter(recipient=e164).latest("pk")
    page.fill("input[name=code]", re.search(r"\b(\d{6})\b", sms.body).group(1))
    page.click("main button:has-text('Valider')")
    page.wait_for_selector("h1:has-text('Ma candidature')")


def _apply(page, base, phone_digits, e164, name, challenge_title):
    _citizen_sign_in(page, base, phone_digits, e164)
    page.click("text=Remplir mon profil")
    page.fill("input[name=full_name]", name)
    page.fill("input[name=email]", f"{e164[1:]}@example.ne")
    page.select_option("select[name=region]", label="Niamey")
    page.select_option("select[name=sex]", "F")
    page.check("input[name=profiles] >> nth=0")
    page.fill("textarea[name=skills]", "Python, Django, enquêtes de terrain")
    page.fill("input[name=availability]", "Dès janvier")
    page.set_input_files(
        "input[name=cv]", files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("main button:has-text('Enregistrer mon profil')")
    page.wait_for_selector("text=Confirmez votre adresse")
    mail = Message.objects.filter(recipient=f"{e164[1:]}@example.ne").latest("pk")
    link = re.search(r"https?://\S+/eig/candidature/courriel/\S+", mail.body).group(0)
    page.goto(base + "/eig/" + link.split("/eig/", 1)[1])
    page.wait_for_selector("text=Votre adresse est confirmée")
    page.goto(f"{base}/eig/candidature/defis/")
    page.select_option("select[name=challenge_1]", label=challenge_title)
    page.fill("textarea[name=motivation_1]", "J'ai numérisé les registres d'un greffe.")
    _fits(page)
    page.click("main button:has-text('Enregistrer et envoyer')")
    page.wait_for_selector("[data-testid=application-status]:has-text('Envoyée')")
    _fits(page)


@pytest.mark.browser
@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "readonly"]
)
def test_a_promotion_from_challenge_to_team(
    browser_page, live_server, make_agent, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page, base = browser_page, live_server.url
    now = timezone.now()
    promotion = Promotion.objects.create(
        name="Promotion 2027",
        slug="promotion-2027",
        call_opens_at=now - timedelta(minutes=5),
        call_closes_at=now + timedelta(days=10),
        interviews_from=(now + timedelta(days=12)).date(),
        interviews_until=(now + timedelta(days=20)).date(),
        starts_on=(now + timedelta(days=40)).date(),
        ends_on=(now + timedelta(days=340)).date(),
    )
    promotion.criteria.create(round="review", label="Compréhension", weight=2, max_score=5)
    promotion.criteria.create(round="review", label="Compétences", weight=1, max_score=5)
    make_agent("mj.owner", "challenge_owner", "MJ")
    manager = make_agent("ansi.manager", "programme_manager", "ANSI")
    device = TOTPDevice.objects.create(user=manager, name="téléphone", confirmed=True)
    make_agent("ansi.jury", "jury_member", "ANSI")
    make_agent("ansi.jury2", "jury_member", "ANSI")
    make_agent("mj.jury", "jury_member", "MJ")
    title = "Le casier judiciaire numérique"

    # The Ministry of Justice drafts its challenge and submits it.
    _agent_sign_in(page, base, "mj.owner")
    page.goto(f"{base}/eig/agents/defis/nouveau/")
    page.fill("input[name=title]", title)
    for name in ("problem", "who_suffers", "data_and_systems", "expected_impact"):
        page.fill(f"textarea[name={name}]", "Les fiches du casier sont sur papier.")
    page.check("input[name=profiles] >> nth=0")
    page.fill("input[name=mentor_name]", "M. Issa Mamane")
    page.fill("input[name=mentor_title]", "Directeur des affaires criminelles")
    page.fill("input[name=location]", "Niamey")
    _fits(page)
    page.click("main button:has-text('Enregistrer et soumettre')")
    page.wait_for_selector("text=Soumis à l'ANSI")
    _sign_out(page)

    # ANSI accepts it into the promotion (the only promotion is preselected).
    _agent_sign_in(page, base, "ansi.manager", device)
    page.goto(f"{base}/eig/agents/programme/")
    page.click(f"text={title}")
    page.check("input[name=decision][value=accept]")
    page.click("main button:has-text('Enregistrer la décision')")
    page.wait_for_selector("text=Décision enregistrée")
    _sign_out(page)

    # The catalogue shows it; two candidates apply; the second withdraws.
    page.goto(f"{base}/eig/defis/")
    assert title in page.inner_text("main")
    _fits(page)
    _apply(page, base, "96 11 00 01", "+22796110001", "Aminatou Harouna", title)
    _sign_out(page)
    _apply(page, base, "96 11 00 02", "+22796110002", "Rakia Ibrahim", title)
    page.click("main button:has-text('Retirer ma candidature')")
    page.wait_for_selector("[data-testid=application-status]:has-text('Retirée')")
    _sign_out(page)

    # The call closes.
    promotion.call_closes_at = timezone.now() - timedelta(minutes=1)
    promotion.save(update_fields=["call_closes_at"])

    _agent_sign_in(page, base, "ansi.manager", device)
    page.goto(f"{base}/eig/agents/programme/promotions/{promotion.pk}/")
    page.click("main button:has-text('Attribuer les évaluateurs (dossiers)')")
    page.wait_for_selector("text=/évaluations? attribuées?\\./")
    _sign_out(page)
    assert ReviewAssignment.objects.count() == 2  # the withdrawn file is not reviewed

    # The Justice juror knows the candidate: declares the conflict.
    _agent_sign_in(page, base, "mj.jury")
    page.goto(f"{base}/eig/agents/jury/")
    page.click("main a:has-text('EIG-')")
    assert "Aminatou" not in page.inner_text("main")  # anonymous first round
    page.fill("textarea[name=reason]", "Ancienne collègue de bureau.")
    page.click("main button:has-text('Déclarer le conflit')")
    page.wait_for_selector("text=Conflit déclaré")
    _sign_out(page)

    _agent_sign_in(page, base, "ansi.manager", device)
    page.goto(f"{base}/eig/agents/programme/promotions/{promotion.pk}/")
    page.click("main button:has-text('Attribuer les évaluateurs (dossiers)')")
    page.wait_for_selector("text=/évaluations? attribuées?\\./")
    _sign_out(page)

    for juror, values in (("ansi.jury", ("5", "4")), ("ansi.jury2", ("4", "3"))):
        _agent_sign_in(page, base, juror)
        page.goto(f"{base}/eig/agents/jury/")
        page.click("main a:has-text('EIG-')")
        assert "Aminatou" not in page.inner_text("main")
        inputs = page.locator("input[name^=criterion_]")
        inputs.nth(0).fill(values[0])
        inputs.nth(1).fill(values[1])
        page.click("main button:has-text('Envoyer mes notes')")
        page.wait_for_selector("text=Notes envoyées")
        _sign_out(page)

    # ANSI sees the ranking, shortlists and opens interview slots.
    _agent_sign_in(page, base, "ansi.manager", device)
    page.goto(f"{base}/eig/agents/programme/promotions/{promotion.pk}/")
    assert "Aminatou Harouna" in page.inner_text("table.ranking")
    page.click("main button:has-text('Présélectionner')")
    page.wait_for_selector("text=présélectionné")
    page.select_option("select[name=challenge]", label=title)
    first = timezone.localtime(timezone.now() + timedelta(days=13)).replace(hour=9, minute=0)
    page.fill("input[name=first]", first.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=count]", "3")
    page.fill("input[name=place]", "ANSI, Niamey")
    page.click("main button:has-text('Ajouter les créneaux')")
    page.wait_for_selector("text=Créneaux ajoutés")
    _sign_out(page)

    # The candidate picks a slot.
    _citizen_sign_in(page, base, "96 11 00 01", "+22796110001")
    page.check("input[name=slot] >> nth=1")
    page.click("main button:has-text('Confirmer ce créneau')")
    page.wait_for_selector("text=Entretien confirmé")
    _fits(page)
    _sign_out(page)

    # ANSI decides; the candidate is told by SMS and e-mail.
    _agent_sign_in(page, base, "ansi.manager", device)
    page.goto(f"{base}/eig/agents/programme/promotions/{promotion.pk}/")
    page.check("form.decision input[name=outcome][value=selected]")
    page.click("form.decision button:has-text('Décider')")
    page.wait_for_selector("text=Décision enregistrée")
    _sign_out(page)

    choice = Choice.objects.get(application__candidate__full_name="Aminatou Harouna")
    assert choice.outcome == Choice.Outcome.SELECTED and choice.slot is not None
    assert Application.objects.get(candidate__full_name="Rakia Ibrahim").status == "withdrawn"
    told = Message.objects.filter(template="talents/decision_selected")
    assert {m.channel for m in told} == {"sms", "email"}
    assert told.get(channel="sms").recipient == "+22796110001"

    page.goto(f"{base}/eig/promotions/{promotion.slug}/")
    assert "Aminatou Harouna" in page.inner_text("main")
    _fits(page)
