"""What a file really is, judged by its first bytes — never by its name or the browser's claim.

Shared by every upload: mail scans, complaint photos, birth certificates and record cards.
"""

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


def accepted_kind(upload, accepted: set[str], refusal: str) -> FileKind:
    """The file's type if it is one of `accepted` (MIME types), else ValidationError(`refusal`),
    saying when the file is in fact a program."""
    kind = sniff(upload)
    if kind is not None and kind.mime in accepted:
        return kind
    found = _("type inconnu") if kind is None else kind.mime
    if kind is not None and kind.extension in _PROGRAMS:
        found = _("programme exécutable")
    raise ValidationError(f"{refusal} ({found})", code="bad_type")
