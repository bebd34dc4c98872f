import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.accounts.models import Organisation
from guichet.correspondence import services
from guichet.correspondence.models import Contact

# Smallest real files of each kind (magic bytes are what is checked).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _image(fmt: str) -> bytes:
    # Images are decoded and re-encoded before storage (no metadata kept): they must be real.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (8, 8), 200).save(out, format=fmt)
    return out.getvalue()


JPEG = _image("JPEG")
TIFF = _image("TIFF")
PNG = _image("PNG")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def upload(name="scan.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def clerk(make_agent):
    return make_agent("clerk", "mail_clerk", "SGG-BC", email="clerk@example.ne")


@pytest.fixture
def head(make_agent):
    return make_agent("head", "head_of_service", "SGG", phone_number="+22790000001")


@pytest.fixture
def jurist(make_agent):
    return make_agent("jurist", "mail_clerk", "SGG-DAJ", phone_number="+22790000003")


@pytest.fixture
def contact(db):
    return Contact.objects.create(
        name="Ibrahim Souley",
        organisation_name="Mairie de Niamey",
        directory=Organisation.objects.get(code="SGG"),
    )


@pytest.fixture
def register(organisations, clerk, contact):
    """register(**fields) → a Mail registered by the clerk of SGG-BC."""

    def make(**fields):
        values = {
            "actor": clerk,
            "unit": organisations["SGG-BC"],
            "direction": "A",
            "subject": "Demande d'audience",
            "correspondent": contact,
        }
        values.update(fields)
        return services.register_mail(**values)

    return make
