"""What a file really is, judged by its first bytes — never by its name or the browser's claim.

Shared by every upload: mail scans, complaint photos, birth certificates and record cards.
"""

import contextlib
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


# --- Images without their metadata ----------------------------------------------------------------
# Law n° 2022-59 on personal data (Niger), privacy by design: a phone's photo carries the owner's
# name, the phone's model and, by default, the GPS position where it was taken (EXIF, XMP, IPTC).
# Every image is re-encoded from its pixels alone before it is stored, so none of that survives.

_IMAGE_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", TIFF: "TIFF"}


def _pixels_only(frame):
    """A new image holding the frame's pixels and nothing else (its `info` is empty)."""
    from PIL import Image

    if frame.mode == "P" or frame.mode == "PA":
        frame = frame.convert(
            "RGBA" if "transparency" in frame.info or frame.mode == "PA" else "RGB"
        )
    elif frame.mode == "CMYK":
        frame = frame.convert("RGB")
    return Image.frombytes(frame.mode, frame.size, frame.tobytes())


def without_image_metadata(upload):
    """The upload re-encoded from its pixels when it is an image (JPEG, PNG, WebP, TIFF), with no
    EXIF, XMP, IPTC, GPS or comment left; any other file (a PDF) is returned unchanged.

    The EXIF orientation is applied to the pixels first, so the photo still stands upright. Every
    page of a multi-page TIFF scan is kept. An image that cannot be decoded is refused in French.
    """
    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps, ImageSequence

    kind = sniff(upload)
    if kind is None or kind.mime not in _IMAGE_FORMATS:
        return upload
    image_format = _IMAGE_FORMATS[kind.mime]
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            frames = []
            for frame in ImageSequence.Iterator(image):
                frame.load()
                frames.append(_pixels_only(ImageOps.exif_transpose(frame)))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("L'image « %(name)s » est illisible ou trop grande. Joignez une autre image.")
            % {"name": getattr(upload, "name", "")},
            code="bad_image",
        ) from error
    if image_format == "JPEG":
        frames = [f if f.mode in ("RGB", "L") else f.convert("RGB") for f in frames]
    from io import BytesIO

    out = BytesIO()
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
    if image_format == "TIFF":
        options["compression"] = "tiff_deflate"
    if len(frames) > 1 and image_format in ("TIFF", "WEBP"):
        options.update(save_all=True, append_images=frames[1:])
    frames[0].save(out, format=image_format, **options)
    upload.seek(0)
    name = getattr(upload, "name", None) or f"image.{kind.extension}"
    return ContentFile(out.getvalue(), name=name.rsplit("/", 1)[-1])


# --- PDFs without their author ------------------------------------------------------------------
# Law n° 2022-59, privacy by design (issue 14): a PDF names who made it — the document information
# (/Author, /Creator, /Producer, /Title, /Subject, /Keywords: « Moussa Issa », « Microsoft Word
# 2019 ») and the XMP packet (dc:creator, xmp:CreatorTool, the document's unique ids). Where a
# person asked to hide their identity, the PDF is rewritten without them; its pages (content
# streams, resources, sizes) are copied unchanged.


def without_pdf_metadata(upload):
    """The upload rewritten without document information or XMP metadata when it is a PDF
    (pages kept as they are); any other file is returned unchanged. An unreadable or encrypted
    PDF is refused in French (its metadata could not be removed)."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    kind = sniff(upload)
    if kind is None or kind.mime != PDF:
        return upload
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise PdfReadError("encrypted")
        # A new file holding the pages and what they reach, nothing of the old catalogue's
        # metadata (/Info, /Metadata), whatever the pypdf version.
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Metadata", "/PieceInfo"):  # a page's own XMP, an editor's private data
                if NameObject(key) in page:
                    del page[NameObject(key)]
            writer.add_page(page)
    except (PdfReadError, OSError, ValueError, KeyError) as error:
        raise ValidationError(
            _(
                "Le PDF « %(name)s » est illisible ou protégé par un mot de passe : son auteur ne "
                "peut pas en être retiré. Joignez-le sans mot de passe, ou une photo du document."
            )
            % {"name": getattr(upload, "name", "")},
            code="bad_pdf",
        ) from error
    writer.metadata = None  # not even pypdf's own /Producer
    out = BytesIO()
    writer.write(out)
    upload.seek(0)
    name = getattr(upload, "name", None) or "document.pdf"
    return ContentFile(out.getvalue(), name=name.rsplit("/", 1)[-1])


def without_identifying_metadata(upload, *, hidden_identity: bool):
    """Images always lose their metadata; a PDF loses its author where the identity is hidden."""
    upload = without_image_metadata(upload)
    return without_pdf_metadata(upload) if hidden_identity else upload


# --- Uploads kept across a failed submit ------------------------------------------------------
# A form that fails (a missing field, a date in the future) must not make the person choose the
# file again. The upload is put in temporary storage and the page carries a signed token in a
# hidden field: the token names the stored file, the name the person gave it and its owner (the
# signed-in account, or a random identifier in an anonymous visitor's session), and expires. On the
# next submit the file comes back as if it had been sent again and goes through the same checks
# (size, type by content, active PDF…); a new file chosen in the field replaces it.

KEPT_UPLOAD_SALT = "guichet.uploads.kept"
KEPT_UPLOAD_DIR = "kept-uploads"
DEFAULT_KEPT_UPLOAD_MAX_AGE = 2 * 3600  # seconds a kept upload can be claimed
DEFAULT_KEPT_UPLOAD_MAX_SIZE = 25 * 1024 * 1024
_OWNER_SESSION_KEY = "kept_uploads_owner"


def kept_upload_max_age() -> int:
    from django.conf import settings

    return getattr(settings, "KEPT_UPLOAD_MAX_AGE", DEFAULT_KEPT_UPLOAD_MAX_AGE)


def kept_upload_max_size() -> int:
    from django.conf import settings

    return getattr(settings, "KEPT_UPLOAD_MAX_SIZE", DEFAULT_KEPT_UPLOAD_MAX_SIZE)


def upload_owner(request) -> str:
    """Who may claim the uploads kept for this request: the signed-in account, else a random
    identifier kept in the visitor's session (created on the first form sent, not on a visit)."""
    import secrets

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    owner = request.session.get(_OWNER_SESSION_KEY)
    if not owner and request.method in ("GET", "HEAD"):
        return ""  # a form shown empty keeps and claims nothing: no session for a mere visit
    if not owner:
        owner = secrets.token_urlsafe(18)
        request.session[_OWNER_SESSION_KEY] = owner
    return f"session:{owner}"


def keep_upload(upload, owner: str) -> str | None:
    """Store `upload` for `owner` and return the token that claims it, or None when the file is
    not worth keeping (empty, too large, a program)."""
    import datetime as dt
    import uuid

    from django.core import signing
    from django.core.files.base import File
    from django.core.files.storage import default_storage

    size = getattr(upload, "size", 0) or 0
    if not size or size > kept_upload_max_size():
        return None
    kind = sniff(upload)
    if kind is not None and kind.extension in _PROGRAMS:
        return None
    _purge_expired_now_and_then()
    # An hourly folder, so that purging lists folders rather than every file.
    folder = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H")
    upload.seek(0)
    path = default_storage.save(f"{KEPT_UPLOAD_DIR}/{folder}/{uuid.uuid4().hex}", File(upload))
    upload.seek(0)
    return signing.dumps(
        {
            "path": path,
            "name": (getattr(upload, "name", "") or "fichier").rsplit("/", 1)[-1][:255],
            "type": getattr(upload, "content_type", "") or "application/octet-stream",
            "owner": owner,
        },
        salt=KEPT_UPLOAD_SALT,
        compress=True,
    )


def claim_upload(token: str, owner: str):
    """The upload a token names, as an uploaded file, if the token is genuine, unexpired and
    `owner`'s; None otherwise. The stored copy is removed: a token is claimed once (a form that
    fails again keeps the file anew)."""
    from django.core import signing
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        claim = signing.loads(token, salt=KEPT_UPLOAD_SALT, max_age=kept_upload_max_age())
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(claim, dict) or claim.get("owner") != owner:
        return None
    path = str(claim.get("path", ""))
    if not path.startswith(f"{KEPT_UPLOAD_DIR}/") or ".." in path:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return None
    default_storage.delete(path)
    return SimpleUploadedFile(claim.get("name") or "fichier", content, claim.get("type"))


def purge_expired_kept_uploads(now=None) -> int:
    """Delete the kept uploads past their expiry (whole hourly folders); returns files deleted."""
    import datetime as dt

    from django.core.files.storage import default_storage

    now = now or dt.datetime.now(dt.UTC)
    limit = now - dt.timedelta(seconds=kept_upload_max_age() + 3600)
    try:
        folders, _files = default_storage.listdir(KEPT_UPLOAD_DIR)
    except (FileNotFoundError, OSError):
        return 0
    deleted = 0
    for folder in folders:
        try:
            started = dt.datetime.strptime(folder, "%Y%m%d%H").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        if started >= limit:
            continue
        _sub, files = default_storage.listdir(f"{KEPT_UPLOAD_DIR}/{folder}")
        for name in files:
            default_storage.delete(f"{KEPT_UPLOAD_DIR}/{folder}/{name}")
            deleted += 1
        with contextlib.suppress(OSError):  # the emptied folder (on disk)
            default_storage.delete(f"{KEPT_UPLOAD_DIR}/{folder}")
    return deleted


def _purge_expired_now_and_then() -> None:
    """At most once an hour (per cache), keeping an upload first deletes the expired ones."""
    from django.core.cache import cache

    if cache.add("kept-uploads-purged", 1, 3600):
        purge_expired_kept_uploads()
