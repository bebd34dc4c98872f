"""manage.py import_gazette PATH… — bring texts of the archive in.

Akoma Ntoso XML (.xml), plain text (.txt) or HTML (.html, .htm) split into articles; scanned PDFs
through OCR (ocrmypdf, French) when it is installed. Every file is checked first and what cannot be
recognised is reported per file; then everything is written in one transaction: an error on any
file leaves nothing imported (unless --skip-invalid, which imports the valid files only).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.gazette import akn, archive_import, numbering, opendata, services
from guichet.gazette.textparse import html_to_text, parse_text


class FileProblem(Exception):
    pass


def read_file(path: Path) -> dict:
    """Recognise one file: {doctype, number, signed_on, title, parts} or FileProblem."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        try:
            document = akn.parse(path.read_bytes())
        except akn.AknError as error:
            raise FileProblem(str(error)) from None
        except Exception as error:  # lxml and cobalt raise many kinds on bad XML
            raise FileProblem(f"XML Akoma Ntoso illisible : {error}") from None
        work_uri = document.work_uri
        pieces = work_uri.strip("/").split("/")  # akn/ne/act/<subtype>/<year>/<number>
        if len(pieces) < 6 or pieces[1] != "ne":
            raise FileProblem(f"Identifiant FRBR inattendu : {work_uri}")
        doctype, year, number = pieces[3], pieces[4], pieces[5]
        if document.work_date is None:
            raise FileProblem("Date du texte (FRBRWork/FRBRdate) absente.")
        number = _akn_number(doctype, year, number, document.number)
        return {
            "doctype": doctype,
            "number": number,
            "signed_on": document.work_date,
            "title": _without_label(document.title, doctype, number, document.work_date),
            "parts": document.parts,
            "expected": document.counts,
        }
    if suffix in (".txt", ".html", ".htm", ".pdf"):
        if suffix == ".pdf":
            text = ocr(path)
        else:
            raw = path.read_text(encoding="utf-8", errors="replace")
            text = html_to_text(raw) if suffix in (".html", ".htm") else raw
        parsed = parse_text(text)
        if parsed.problems:
            raise FileProblem(" ; ".join(map(str, parsed.problems)))
        if parsed.number.signed_on is None:
            raise FileProblem("Date de signature absente de l'en-tête (« … du 3 mai 2017 »).")
        return {
            "doctype": parsed.number.doctype,
            "number": parsed.number.display,
            "signed_on": parsed.number.signed_on,
            "title": parsed.title,
            "parts": parsed.parts,
            "expected": parsed.counts,
        }
    raise FileProblem(f"Format non pris en charge : {suffix or 'sans extension'}.")


def _akn_number(doctype: str, year: str, number: str, printed: str) -> str:
    """The text's number: as printed in FRBRnumber (« 2021-417/PRN/MSP ») when it is the number
    the URI names, else rebuilt from the URI (/2021/417 → « 2021-417 »)."""
    from_uri = f"{year}-{number}" if number.isdigit() else number.replace("-", "/")
    if printed and printed != from_uri:
        try:
            if (
                numbering.parse_number(doctype, printed).normalized
                == numbering.parse_number(doctype, from_uri).normalized
            ):
                return printed
        except numbering.NumberError:
            pass  # the URI's number is checked, and refused if need be, with the others
    return from_uri


def _without_label(title: str, doctype: str, number: str, signed_on) -> str:
    """The title as the Journal stores it, without the text's label printed before it (« Décret
    n° 2021-417/PRN/MSP du 14 juin 2021 portant … » → « portant … »): our export writes the label
    there, as many producers do, and the pages print the label before the title."""
    kind = numbering.DOCTYPE_LABELS.get(doctype)
    if not kind or not title:
        return title
    label = f"{kind} n° {number}"
    for prefix in (f"{label} du {numbering.format_date(signed_on)}", label):
        if title.casefold().startswith(prefix.casefold()):
            rest = title[len(prefix) :].lstrip(" ,:;—–-")
            return rest or title
    return title


def ocr(path: Path) -> str:
    if shutil.which("ocrmypdf") is None:
        raise FileProblem("PDF ignoré : ocrmypdf n'est pas installé (apt-get install ocrmypdf).")
    with tempfile.TemporaryDirectory() as tmp:
        sidecar = Path(tmp) / "text.txt"
        result = subprocess.run(
            [
                "ocrmypdf",
                "-l",
                "fra",
                "--skip-text",
                "--sidecar",
                str(sidecar),
                str(path),
                str(Path(tmp) / "out.pdf"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise FileProblem(f"OCR impossible : {result.stderr.strip()[-300:]}")
        return sidecar.read_text(encoding="utf-8", errors="replace")


class Command(BaseCommand):
    help = (
        "Importe des textes (Akoma Ntoso XML, texte, HTML, PDF avec OCR) dans le Journal officiel."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--draft", action="store_true", help="Importer comme brouillons.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Importer les fichiers valides et signaler les autres.",
        )

    def handle(self, *args, paths, draft=False, skip_invalid=False, **options):
        files = []
        for path in paths:
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            )
        recognised, problems = [], []
        for path in files:
            try:
                recognised.append((path, read_file(path)))
            except (FileProblem, numbering.NumberError, OSError) as error:
                problems.append((path, str(error)))
        for path, problem in problems:
            self.stderr.write(f"{path}: {problem}")
        if problems and not skip_invalid:
            raise CommandError(
                ngettext(
                    "%(count)d fichier non reconnu : rien n'a été importé "
                    "(--skip-invalid pour importer les autres).",
                    "%(count)d fichiers non reconnus : rien n'a été importé "
                    "(--skip-invalid pour importer les autres).",
                    len(problems),
                )
                % {"count": len(problems)}
            )
        started = time.perf_counter()
        articles = words = 0
        with transaction.atomic():
            if draft:
                for path, data in recognised:
                    try:
                        archive_import.import_archive_text(actor=None, as_draft=True, **data)
                    except services.GazetteError as error:
                        raise CommandError(f"{path}: {error} — rien n'a été importé.") from None
            else:
                # Published texts in bulk (archive_import): the error names the text's position.
                try:
                    imported = archive_import.import_archive_texts(
                        actor=None,
                        texts=[archive_import.ArchiveText(**data) for _path, data in recognised],
                    )
                except services.GazetteError as error:
                    raise CommandError(f"{error} — rien n'a été importé.") from None
            for _path, data in recognised:
                articles += data["expected"].articles
                words += data["expected"].words
            if recognised and not draft:
                # Once for the whole import, after it commits: the years it changed.
                opendata.queue_build(opendata.years_changed_by(imported))
        elapsed = time.perf_counter() - started
        rate = len(recognised) / elapsed if elapsed else 0
        texts = ngettext(
            "%(count)d texte importé", "%(count)d textes importés", len(recognised)
        ) % {"count": len(recognised)}
        # A rate says something of many texts; of one, the time is the figure.
        summary = (
            _(
                "%(texts)s en %(seconds).2f s (%(rate).0f textes/s), %(articles)s et %(words)s "
                "lus et enregistrés à l'identique"
            )
            if len(recognised) > 1
            else _(
                "%(texts)s en %(seconds).2f s, %(articles)s et %(words)s "
                "lus et enregistrés à l'identique"
            )
        ) % {
            "texts": texts,
            "seconds": elapsed,
            "rate": rate,
            "articles": archive_import.article_count(articles),
            "words": archive_import.word_count(words),
        }
        if problems:
            summary += ngettext(
                ", %(count)d fichier écarté", ", %(count)d fichiers écartés", len(problems)
            ) % {"count": len(problems)}
        self.stdout.write(f"{summary}.")
