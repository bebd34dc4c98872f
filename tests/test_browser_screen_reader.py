"""What a screen reader is told, read from Chromium's accessibility tree (the tree NVDA, Orca or
TalkBack are given), on the complaint and sign-in journeys: every field has a name, its help text
is its description, and an error is announced (role=alert) and marks the field invalid.
docs/accessibility.md explains the check and how to repeat it by hand with Orca."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELD_ROLES = {"textbox", "combobox", "checkbox", "radio", "spinbutton", "button", "searchbox"}


def _tree(page) -> list[dict]:
    """Every node of the page's accessibility tree: role, name, description, properties."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    out = []
    for node in nodes:
        if node.get("ignored"):
            continue
        out.append(
            {
                "role": node.get("role", {}).get("value", ""),
                "name": (node.get("name", {}).get("value") or "").strip(),
                "description": (node.get("description", {}).get("value") or "").strip(),
                "properties": {
                    p["name"]: p["value"].get("value") for p in node.get("properties", [])
                },
            }
        )
    return out


def _fields(tree) -> list[dict]:
    return [node for node in tree if node["role"] in FIELD_ROLES]


def _field(tree, name: str) -> dict:
    # Django's label suffix (" :") is part of the name read aloud.
    matches = [node for node in _fields(tree) if node["name"].rstrip(" \xa0:") == name]
    assert matches, f"no field named « {name} »: {[n['name'] for n in _fields(tree)]}"
    return matches[0]


def _alerts(tree) -> list[str]:
    return [node["name"] or node["description"] for node in tree if node["role"] == "alert"]


def _alert_texts(page) -> str:
    return " ".join(page.locator("[role=alert]").all_inner_texts())


@pytest.mark.parametrize("browser_page", ["js"], indirect=True)
def test_complaint_form_reads_names_help_texts_and_announces_errors(browser_page, live_server):
    from guichet.accounts.models import Organisation
    from guichet.complaints.models import Category

    Category.objects.get_or_create(
        code="sante-frais",
        defaults={
            "name": "Frais de soins",
            "group": "Santé",
            "organisation": Organisation.objects.get(code="SGG"),
        },
    )
    page = browser_page
    page.goto(f"{live_server.url}/plaintes/deposer/")
    tree = _tree(page)
    unnamed = [node["role"] for node in _fields(tree) if not node["name"]]
    assert not unnamed, f"fields without an accessible name: {unnamed}"
    description = _field(tree, "Décrivez le problème")
    assert description["description"].startswith("Quoi, quand, où.")
    assert _field(tree, "Téléphone (facultatif)")["description"].startswith(
        "Pour recevoir la référence"
    )
    assert _field(tree, "Cacher mon identité aux agents qui traitent la plainte")[
        "description"
    ].startswith("Votre nom, téléphone et courriel")
    assert not _alerts(tree)

    # A complaint that says where nothing happened: the server refuses it and says why.
    page.get_by_label("De quoi vous plaignez-vous ?").select_option(index=1)
    page.get_by_label("Décrivez le problème").fill("Le centre de santé est fermé depuis lundi.")
    page.get_by_role("button", name="Envoyer la plainte").click()
    page.wait_for_load_state()
    tree = _tree(page)
    assert any("au moins la région" in text for text in _alerts(tree)) or (
        "au moins la région" in _alert_texts(page)
    ), _alerts(tree)
    region = _field(tree, "Région")
    assert region["properties"].get("invalid") in ("true", True), region


@pytest.mark.parametrize("browser_page", ["js"], indirect=True)
def test_sign_in_form_reads_names_help_texts_and_announces_errors(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/connexion/")
    tree = _tree(page)
    phone = _field(tree, "Numéro de téléphone")
    assert phone["description"] == "Numéro du Niger, par exemple 90 12 34 56."
    assert _field(tree, "Langue")  # the language switch is named too
    unnamed = [node["role"] for node in _fields(tree) if not node["name"]]
    assert not unnamed, f"fields without an accessible name: {unnamed}"

    page.get_by_label("Numéro de téléphone").fill("12")
    page.get_by_role("button", name="Recevoir le code").click()
    page.wait_for_load_state()
    tree = _tree(page)
    assert _alerts(tree) or _alert_texts(page), "the error is not announced"
    phone = _field(tree, "Numéro de téléphone")
    assert phone["properties"].get("invalid") in ("true", True), phone
    assert phone["description"].startswith("Numéro du Niger")
