"""Public pages and content negotiation; editors' pages and who may open them."""

import hashlib
import html
import io
import json

import pytest
from django.urls import reverse

from guichet.gazette.models import Work
from guichet.gazette.tests.factories import D, articles, draft, publish
from tests.pdf_samples import NO_SIGNATURE_IN_EACH_LANGUAGE, unsigned_pdf


@pytest.fixture
def published(editor, django_capture_on_commit_callbacks):
    law = draft(
        editor,
        ("loi", "2017-28", D(2017, 5, 3)),
        "Loi relative à la protection des données à caractère personnel",
        articles("Les données à caractère personnel sont protégées.", "La Commission veille."),
    )
    with django_capture_on_commit_callbacks(execute=True):  # the open-data build, in-process
        issue = publish(editor, [law], D(2017, 5, 15))
    law.refresh_from_db()
    return law, issue


@pytest.mark.django_db
def test_home_shows_the_search_box_and_latest_issues(client, published):
    response = client.get(reverse("gazette:home"))
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert str(published[1]) in response.text


@pytest.mark.django_db
def test_search_page_lists_hits_with_highlighted_snippets(client, published):
    response = client.get(reverse("gazette:home"), {"q": "donnees"})
    assert "1 texte trouvé" in response.text
    assert "<mark>données</mark>" in response.text


@pytest.mark.django_db
def test_a_number_typed_goes_straight_to_the_text(client, published):
    response = client.get(reverse("gazette:home"), {"q": "2017-28"})
    assert response.status_code == 302
    assert response["Location"] == "/akn/ne/act/loi/2017/28"


@pytest.mark.django_db
def test_text_resolves_as_html_json_and_akn_xml(client, published):
    law, _issue = published
    html = client.get(law.frbr_uri)
    assert html.status_code == 200
    assert "Les données à caractère personnel sont protégées." in html.text
    assert 'vocab="http://data.europa.eu/eli/ontology#"' in html.text
    record = client.get(law.frbr_uri + ".json").json()
    assert record["uri"] == "/akn/ne/act/loi/2017/28"
    assert record["expression_uri"] == "/akn/ne/act/loi/2017/28/fra@2017-05-03"
    assert record["content"][0]["eid"] == "art_1"
    negotiated = client.get(law.frbr_uri, HTTP_ACCEPT="application/json")
    assert negotiated["Content-Type"].startswith("application/json")
    xml = client.get(law.frbr_uri + "/fra@2017-05-03.xml")
    assert xml["Content-Type"].startswith("application/akn+xml")
    assert b'name="language" value="fra"' in xml.content or b'language="fra"' in xml.content
    assert b'eId="art_1"' in xml.content


@pytest.mark.django_db
def test_unknown_or_unpublished_text_is_not_found(client, editor):
    draft(editor, ("decret", "2020-123/PRN/MJ", D(2020, 3, 12)), "Décret portant essai")
    assert client.get("/akn/ne/act/decret/2020/123").status_code == 404
    assert client.get("/akn/ne/act/decret/2099/1").status_code == 404


@pytest.mark.django_db
def test_issue_page_and_pdf(client, published):
    _law, issue = published
    page = client.get(reverse("gazette:issue", args=[issue.slug]))
    assert issue.sha256 in page.text
    pdf = client.get(reverse("gazette:issue_pdf", args=[issue.slug]))
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == issue.sha256


@pytest.mark.django_db
def test_verification_by_hash(client, published):
    _law, issue = published
    good = client.post(reverse("gazette:verify"), {"sha256": issue.sha256})
    assert "Document authentique" in good.text
    bad = client.post(reverse("gazette:verify"), {"sha256": "0" * 64})
    assert "Document non reconnu" in bad.text


@pytest.mark.django_db
def test_verification_of_an_altered_upload(client, published):
    _law, issue = published
    content = issue.pdf.open("rb").read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    middle = len(content) // 2
    tampered = content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :]
    response = client.post(
        reverse("gazette:verify"),
        {"pdf": SimpleUploadedFile("jo.pdf", tampered, content_type="application/pdf")},
    )
    assert "Document non reconnu" in response.text


@pytest.mark.django_db
def test_published_issue_is_signed_by_the_sgg_and_verifies(client, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guichet.signing import verify_pdf

    _law, issue = published
    content = issue.pdf.open("rb").read()
    assert issue.signed
    result = verify_pdf(content)
    assert result.authentic, result.problem
    response = client.post(
        reverse("gazette:verify"),
        {"pdf": SimpleUploadedFile("jo.pdf", content, content_type="application/pdf")},
    )
    assert "Document authentique" in response.text
    assert "Signature électronique valable" in response.text
    # PAdES-B-LTA: the page names the timestamp and its authority (issue 11)
    assert result.long_term and result.timestamped_at is not None
    assert "Horodatée le" in response.text
    assert result.timestamp_authority in response.text.replace("&#x27;", "'")


@pytest.mark.django_db
def test_a_pdf_extended_after_signing_is_refused(client, published):
    """pyHanko's trap: an incremental update after signing keeps the signature "valid"; the page
    judges by intact + trusted + whole-file coverage, and the hash no longer matches either."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _law, issue = published
    content = issue.pdf.open("rb").read()
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    info = writer.root
    info[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    extended = out.getvalue()
    response = client.post(
        reverse("gazette:verify"),
        {"pdf": SimpleUploadedFile("jo.pdf", extended, content_type="application/pdf")},
    )
    assert "Document non reconnu" in response.text
    assert "Signature électronique non valable" in response.text


@pytest.mark.django_db
def test_feeds_are_atom(client, published):
    for url in (
        reverse("gazette:feed"),
        reverse("gazette:feed_type", args=["loi"]),
        reverse("gazette:feed_authority", args=["PRN"]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
    assert "/akn/ne/act/loi/2017/28" in client.get(reverse("gazette:feed")).text
    assert (
        "/akn/ne/act/loi/2017/28"
        not in client.get(reverse("gazette:feed_type", args=["decret"])).text
    )


@pytest.mark.django_db
def test_open_data_zip_holds_xml_and_json(client, published):
    import hashlib
    import io
    import zipfile

    # Built when the issue was published (the task runs in-process in tests).
    response = client.get(reverse("gazette:open_data_texts"))
    content = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert "akn/akn_ne_act_loi_2017_28.xml" in names
    record = json.loads(archive.read("json/akn_ne_act_loi_2017_28.json"))
    assert record["number"] == "2017-28"
    manifest = client.get(reverse("gazette:open_data_manifest")).json()
    assert manifest["files"]["textes.zip"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert response["Digest"] == f"sha-256={hashlib.sha256(content).hexdigest()}"
    issues = client.get(reverse("gazette:open_data_issues"))
    issues = zipfile.ZipFile(io.BytesIO(b"".join(issues.streaming_content)))
    assert any(name.endswith(".pdf") for name in issues.namelist())
    year = client.get(reverse("gazette:open_data_file", args=["jo-2017.zip"]))
    year_names = zipfile.ZipFile(io.BytesIO(b"".join(year.streaming_content))).namelist()
    assert {"akn/akn_ne_act_loi_2017_28.xml", "index.json"} <= set(year_names)
    assert any(name.startswith("pdf/jo-2017") for name in year_names)


@pytest.mark.django_db
def test_an_anonymous_download_never_builds_open_data(client, published, monkeypatch):
    # Before this change textes.zip was rebuilt in memory on every request (21.8 s for 481 texts).
    from guichet.gazette import opendata

    def refuse(*args, **kwargs):
        raise AssertionError("a request built open data")

    monkeypatch.setattr(opendata, "build", refuse)
    monkeypatch.setattr(opendata, "_texts", refuse)
    for name in ("gazette:open_data_texts", "gazette:open_data_issues", "gazette:open_data"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("gazette:open_data_file", args=["jo-1999.zip"])).status_code == 404
    assert client.get("/journal-officiel/donnees/..%2Fmanifest.json").status_code == 404


@pytest.mark.django_db
def test_each_publication_builds_the_open_data_again(
    client, published, editor, django_capture_on_commit_callbacks
):
    from guichet.gazette import opendata

    before = opendata.manifest()
    law = draft(editor, ("loi", "2018-5", D(2018, 2, 1)), "Loi nouvelle")
    with django_capture_on_commit_callbacks(execute=True):
        publish(editor, [law], D(2018, 3, 1))
    after = opendata.manifest()
    assert after["build"] != before["build"]
    assert after["texts"] == before["texts"] + 1
    assert "jo-2018.zip" in after["files"]
    # Only the year the publication changed is rendered again; 2017's part is kept as stored.
    assert after["rendered"] == [2018]
    assert after["files"]["jo-2017.zip"] == before["files"]["jo-2017.zip"]


@pytest.mark.django_db
def test_api_search_shape(client, published):
    response = client.get("/api/gazette/search", {"q": "protection", "type": "loi"})
    body = response.json()
    assert body["count"] == 1
    hit = body["results"][0]
    assert set(hit) >= {"uri", "type", "number", "date", "title", "snippet"}
    assert hit["uri"] == "/akn/ne/act/loi/2017/28"
    assert (
        client.get("/api/gazette/search", {"q": "protection", "from": "2018-01-01"}).json()["count"]
        == 0
    )
    assert client.get("/api/gazette/search", {"from": "pas-une-date"}).status_code == 400


EDITOR_URLS = [
    ("gazette:editor", []),
    ("gazette:editor_text_new", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,args", EDITOR_URLS)
def test_anonymous_is_sent_to_sign_in_from_editor_pages(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/connexion" in response["Location"] or "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,org",
    [("mail_clerk", "SGG-BC"), ("court_clerk", "TGI-NIAMEY"), ("transport_agent", "MT-DTT")],
)
def test_other_roles_are_refused_editor_pages(client, make_agent, editor, role, org):
    work = draft(editor, ("decret", "2020-123/PRN/MJ", D(2020, 3, 12)), "Décret portant essai")
    user = make_agent("autre", role, org)
    client.force_login(user)
    for url in (
        reverse("gazette:editor"),
        reverse("gazette:editor_text_new"),
        reverse("gazette:editor_text", args=[work.pk]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("gazette:editor_issue_new"), {"date": "2020-04-01"}).status_code == 403
    )


@pytest.mark.django_db
def test_editor_drafts_reviews_signs_schedules_and_publishes(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("gazette:editor_text_new"),
        {
            "doctype": "decret",
            "number": "2020-123/PRN/MJ",
            "signed_on": "2020-03-12",
            "title": "portant organisation du ministère de la Justice",
            "content": "Vu la Constitution ;\nArticle premier : Le ministère comprend.\n"
            "Article 2 : Le présent décret sera publié au Journal officiel.",
        },
    )
    assert response.status_code == 302, response.text
    text_url = response["Location"]
    assert client.post(text_url, {"action": "review"}).status_code == 302
    assert client.post(text_url, {"action": "sign"}).status_code == 302
    issue_response = client.post(reverse("gazette:editor_issue_new"), {"date": "2020-03-20"})
    issue_url = issue_response["Location"]
    issue_pk = int(issue_url.rstrip("/").rsplit("/", 1)[1])
    assert client.post(text_url, {"action": "schedule", "issue": issue_pk}).status_code == 302
    published = client.post(issue_url, {"action": "publish"})
    assert published.status_code == 302
    page = client.get("/akn/ne/act/decret/2020/123")
    assert "Le ministère comprend." in page.text


@pytest.mark.django_db
def test_editor_gets_a_french_error_for_a_bad_number(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("gazette:editor_text_new"),
        {
            "doctype": "loi",
            "number": "2019-33",
            "signed_on": "2018-07-03",
            "title": "essai",
            "content": "Article premier : Essai.",
        },
    )
    assert response.status_code == 200
    assert "la date de signature est de" in response.text


# -- RFC 4287 (Atom) and AKN manifestation URIs ----------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
_RFC3339 = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"  # RFC 3339 § 5.6


def atom_problems(xml: bytes) -> list[str]:
    """What RFC 4287 requires of a feed and its entries (§ 4.1.1, § 4.1.2, § 3.3, § 4.2.6)."""
    import re
    from urllib.parse import urlsplit

    from lxml import etree

    root = etree.fromstring(xml)
    problems = []
    if root.tag != f"{ATOM}feed":
        return ["root is not atom:feed"]

    def check(element, where, author_above):
        for name in ("id", "title", "updated"):
            found = element.findall(f"{ATOM}{name}")
            if len(found) != 1:
                problems.append(f"{where}: {len(found)} atom:{name} (exactly one required)")
        for identifier in element.findall(f"{ATOM}id"):
            if not urlsplit(identifier.text or "").scheme:
                problems.append(f"{where}: atom:id {identifier.text!r} is not an absolute IRI")
        for updated in element.findall(f"{ATOM}updated"):
            if not re.fullmatch(_RFC3339, (updated.text or "").strip()):
                problems.append(f"{where}: atom:updated {updated.text!r} is not RFC 3339")
        has_author = author_above or element.find(f"{ATOM}author/{ATOM}name") is not None
        return has_author

    feed_author = check(root, "feed", False)
    entries = root.findall(f"{ATOM}entry")
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        if not check(entry, where, feed_author):
            problems.append(f"{where}: no atom:author, and none on the feed (§ 4.1.1)")
        alternate = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if entry.find(f"{ATOM}content") is None and not alternate:
            problems.append(f"{where}: neither atom:content nor a link rel=alternate (§ 4.1.1)")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    if len(ids) != len(set(ids)):
        problems.append("two entries share an atom:id")
    return problems


def test_the_validator_finds_what_the_rfc_requires():
    bad = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>/x</id>'
        b"<entry><title>e</title><id>/akn/ne/act/loi/2017/28</id></entry></feed>"
    )
    problems = atom_problems(bad)
    assert "feed: 0 atom:updated (exactly one required)" in problems
    assert "feed: atom:id '/x' is not an absolute IRI" in problems
    assert "entry 1: no atom:author, and none on the feed (§ 4.1.1)" in problems
    assert "entry 1: 0 atom:updated (exactly one required)" in problems


@pytest.mark.django_db
def test_feeds_are_valid_atom_per_rfc_4287(client, published):
    # Before this change entries had no <updated> nor <author>, and relative ids.
    for url in (
        reverse("gazette:feed"),
        reverse("gazette:feed_type", args=["loi"]),
        reverse("gazette:feed_authority", args=["PRN"]),
    ):
        response = client.get(url)
        assert atom_problems(response.content) == [], url
    assert (
        b"<id>http://testserver/akn/ne/act/loi/2017/28</id>"
        in client.get(reverse("gazette:feed")).content
    )


@pytest.mark.django_db
def test_manifestation_uris_follow_the_akn_naming_convention(client, published):
    expression = "/akn/ne/act/loi/2017/28/fra@2017-05-03"
    assert client.get(f"{expression}.xml")["Content-Type"].startswith("application/akn+xml")
    assert client.get(f"{expression}/!main.xml")["Content-Type"].startswith("application/akn+xml")
    assert client.get(f"{expression}/!main.json").json()["uri"] == "/akn/ne/act/loi/2017/28"
    assert client.get("/akn/ne/act/loi/2017/28/!main").status_code == 200
    pdf = client.get(f"{expression}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get("/akn/ne/act/loi/2017/28/eng@2017-05-03").status_code == 404
    assert client.get("/akn/ne/act/loi/2017/28/deu@2017-05-03.xml").status_code == 404
    assert client.get("/akn/ne/act/loi/2017/28/!annexe9").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Ligne non reconnue avant le premier article : « {line} »"),
        ("en", "Line not recognised before the first article: “{line}”"),
    ],
)
@pytest.mark.parametrize("line", ["Intitulé du chapitre premier", "Texte libre avant tout"])
def test_a_line_the_editor_cannot_place_before_the_first_article_is_reported(
    client, editor, language, expected, line
):
    # Before: the form parsed its body after a placeholder heading and title, so every line
    # before the first "Vu", heading or article was read as that title and dropped with it; the
    # text was created without the line, and nothing said so.
    client.force_login(editor)
    client.cookies["django_language"] = language
    response = client.post(
        reverse("gazette:editor_text_new"),
        {
            "doctype": "decret",
            "number": "2020-124/PRN/MJ",
            "signed_on": "2020-03-12",
            "title": "portant essai",
            "content": f"{line}\nArticle premier : Essai.",
        },
    )
    assert response.status_code == 200
    assert html.escape(expected.format(line=line), quote=False) in response.text
    assert not Work.objects.filter(doctype="decret").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), NO_SIGNATURE_IN_EACH_LANGUAGE)
def test_the_signature_problem_is_said_in_the_readers_language(client, language, expected):
    # Before: the signature's problem was French on the page in every language.
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.cookies["django_language"] = language
    response = client.post(
        reverse("gazette:verify"),
        {
            "pdf": SimpleUploadedFile(
                "jo.pdf", unsigned_pdf("Journal officiel"), content_type="application/pdf"
            )
        },
    )
    assert expected in html.unescape(response.text)
