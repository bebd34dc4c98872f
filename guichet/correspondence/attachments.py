"""Checking scans before they are stored: type by content (magic bytes), size, SHA-256."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from guichet import uploads

ALLOWED_TYPES = {uploads.PDF, uploads.JPEG, uploads.PNG, uploads.TIFF}
DEFAULT_MAX_SIZE = 25 * 1024 * 1024


def max_size() -> int:
    return getattr(settings, "CORRESPONDENCE_MAX_ATTACHMENT_SIZE", DEFAULT_MAX_SIZE)


def without_image_metadata(upload):
    """A scan kept as an image loses its EXIF/XMP/GPS (law n° 2022-59); a PDF is kept as sent.

    Only files of an accepted type are re-encoded; anything else is left for `inspect_upload`
    to refuse with its own message.
    """
    kind = uploads.sniff(upload)
    if (
        kind is None
        or kind.mime not in ALLOWED_TYPES
        or not upload.size
        or upload.size > max_size()
    ):
        return upload
    return uploads.without_image_metadata(upload)


def inspect_upload(upload) -> tuple[str, int, str]:
    """(content type, size, SHA-256) of an uploaded file, or a French ValidationError.

    The type comes from the file's first bytes, never from its name or the browser's claim: a
    program renamed "scan.pdf" is refused.
    """
    size = upload.size
    if not size:
        raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": upload.name})
    if size > max_size():
        raise ValidationError(
            _("Le fichier « %(name)s » dépasse la taille maximale (%(max)s).")
            % {"name": upload.name, "max": filesizeformat(max_size())}
        )
    kind = uploads.accepted_kind(
        upload,
        ALLOWED_TYPES,
        _(
            "Le fichier « %(name)s » n'est pas un document accepté. Joignez un scan au format "
            "PDF, JPEG, PNG ou TIFF."
        )
        % {"name": upload.name},
    )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind.mime, size, digest.hexdigest()
