"""What a file really is, judged by its first bytes — never by its name or the browser's claim.

Shared by every upload: mail scans, complaint photos, birth certificates and record cards.
"""

import re
import zlib
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
WEBP = "image/webp"

_PROGRAMS = {"exe", "elf", "dll", "msi", "dmg", "sh", "deb", "rpm", "apk"}


@dataclass(frozen=True)
class FileKind:
    mime: str
    extension: str


def sniff(upload) -> FileKind | None:
    """The type found in the file's first bytes (None if unknown); the file is rewound."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return FileKind(kind.mime, kind.extension) if kind else None


# ISO 32000-1 §12.6 (actions) and §12.6.4.16 (JavaScript actions): /JS and /JavaScript run code,
# /Launch starts a program, /AA (additional actions) fires actions on opening pages or fields;
# an /OpenAction that runs JavaScript is caught by /JS. Names may spell characters as #xx
# (§7.3.5) and hide in compressed object streams (§7.5.7): both are undone before looking.
_ACTIVE_NAMES = {b"/JS", b"/JavaScript", b"/Launch", b"/AA"}
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
# Inflated bytes looked at, in all: beyond that a PDF is refused rather than unpacked further.
MAX_INFLATED_BYTES = 64 * 1024 * 1024


def _names(data: bytes) -> set[bytes]:
    return {_HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name) for name in _NAME.findall(data)}


def active_pdf_content(data: bytes) -> bool:
    """Whether a PDF holds JavaScript, a launch action or additional actions."""
    if _names(data) & _ACTIVE_NAMES:
        return True
    budget = MAX_INFLATED_BYTES
    for stream in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(stream[1], budget + 1)
        except zlib.error:
            continue  # not Flate-encoded (images and the like): nothing to read there
        budget -= len(inflated)
        if budget < 0:
            return True  # a decompression bomb is no document we accept
        if _names(inflated) & _ACTIVE_NAMES:
            return True
    return False


def refuse_active_pdf(upload) -> None:
    """ValidationError if the uploaded PDF could run code when opened; the file is rewound."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if active_pdf_content(data):
        raise ValidationError(
            _(
                "Ce PDF contient du JavaScript ou des actions automatiques (ouverture, lancement "
                "de programme) : il est refusé. Imprimez-le en PDF ou numérisez le document, "
                "puis envoyez ce nouveau fichier."
            ),
            code="active_pdf",
        )


def accepted_kind(upload, accepted: set[str], refusal: str) -> FileKind:
    """The file's type if it is one of `accepted` (MIME types), else ValidationError(`refusal`),
    saying when the file is in fact a program. A PDF that could run code is refused too."""
    kind = sniff(upload)
    if kind is not None and kind.mime in accepted:
        if kind.mime == PDF:
            refuse_active_pdf(upload)
        return kind
    found = _("type inconnu") if kind is None else kind.mime
    if kind is not None and kind.extension in _PROGRAMS:
        found = _("programme exécutable")
    raise ValidationError(f"{refusal} ({found})", code="bad_type")
