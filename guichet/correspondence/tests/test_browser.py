"""A mail clerk registers an incoming letter and routes it, in Chromium, with and without JS."""

import pytest

from guichet.correspondence.models import Mail
from guichet.correspondence.tests.conftest import PDF


def _sign_in_to_the_registration_page(page, live_server):
    page.goto(f"{live_server.url}/agents/connexion/?next=/courrier/enregistrer/")
    page.fill("input[name=username]", "bureau")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_selector("#id_subject")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_and_impute_a_mail(
    transactional_db, browser_page, live_server, make_agent, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_agent("bureau", "mail_clerk", "SGG-BC")
    page = _sign_in_to_the_registration_page(browser_page, live_server)
    page.select_option("#id_unit", label="Bureau du courrier du SGG")
    page.select_option("#id_direction", "A")
    page.fill("#id_correspondent_name", "Gouverneur de la région de Zinder")
    page.fill("#id_subject", "Rapport sur la campagne agricole")
    page.click("text=Enregistrer et numéroter")
    page.wait_for_selector("h1.reference")
    mail = Mail.objects.get()
    assert mail.reference in page.inner_text("h1")
    assert "enregistré sous le n°" in page.inner_text(".messages")
    page.click("text=Imputer")
    page.wait_for_selector("#id_organisation")
    page.select_option("#id_organisation", label="Direction des affaires juridiques")
    page.fill("#id_instructions", "Pour avis sous huitaine")
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1.reference")
    assert "Courrier imputé." in page.inner_text(".messages")
    assert "Pour avis sous huitaine" in page.inner_text("main")
    mail.case.refresh_from_db()
    assert mail.case.status == "assigned" and mail.case.organisation.code == "SGG-DAJ"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_scan_survives_a_failed_first_submit(
    transactional_db, browser_page, live_server, make_agent, settings, tmp_path
):
    """Issue 14: the first submit fails (no subject); the scan is still attached, and stored once
    the second submit succeeds — without choosing the file again."""
    settings.MEDIA_ROOT = tmp_path
    make_agent("bureau", "mail_clerk", "SGG-BC")
    scan = tmp_path / "lettre-gouverneur.pdf"
    scan.write_bytes(PDF)
    page = _sign_in_to_the_registration_page(browser_page, live_server)
    # The only unit is already chosen: nothing to select.
    page.select_option("#id_direction", "A")
    page.fill("#id_correspondent_name", "Gouverneur de la région de Zinder")
    page.set_input_files("#id_scan", str(scan))
    page.click("text=Enregistrer et numéroter")
    page.wait_for_selector(".kept-upload")
    assert "Fichier déjà joint" in page.inner_text(".kept-upload")
    assert "lettre-gouverneur.pdf" in page.inner_text(".kept-upload")
    assert not Mail.objects.exists()
    page.fill("#id_subject", "Rapport sur la campagne agricole")
    page.click("text=Enregistrer et numéroter")
    page.wait_for_selector("h1.reference")
    attachment = Mail.objects.get().attachments.get()
    assert attachment.original_name == "lettre-gouverneur.pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
    assert "lettre-gouverneur.pdf" in page.inner_text("main")
