"""Uploaded images lose their metadata (EXIF, XMP, GPS) before they are stored (law n° 2022-59)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from guichet import uploads

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Moussa Issoufou"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def phone_photo(fmt="JPEG", *, orientation=1, size=(40, 20)) -> bytes:
    """A photo as a phone writes it: owner, model, GPS position of Niamey, XMP creator."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.Artist] = "Moussa Issoufou"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (13.0, 30.0, 45.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 6.0, 30.0)
    out = io.BytesIO()
    options = {"exif": exif}
    if fmt in ("JPEG", "PNG", "WEBP"):
        options["xmp"] = XMP
    image.save(out, format=fmt, **options)
    return out.getvalue()


def assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        # A TIFF's own structure (width, compression…) is tags too: only identifying ones matter.
        identifying = {ExifTags.Base.Make, ExifTags.Base.Model, ExifTags.Base.Artist}
        identifying |= {ExifTags.Base.GPSInfo, ExifTags.Base.ExifOffset, ExifTags.Base.XMLPacket}
        assert identifying.isdisjoint(exif)
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
    assert b"Moussa" not in data
    assert b"PhoneMaker" not in data


def test_the_fixture_photo_really_carries_gps_and_xmp():
    data = phone_photo()
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert b"Moussa" in data


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_a_photo_with_gps_exif_comes_out_without_any_metadata(fmt):
    upload = SimpleUploadedFile(f"photo.{fmt.lower()}", phone_photo(fmt))
    cleaned = uploads.without_image_metadata(upload)
    data = cleaned.read()
    assert_no_metadata(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt
        assert image.size == (40, 20)


def test_the_exif_orientation_is_applied_to_the_pixels_before_it_is_dropped():
    # Orientation 6: the phone was held upright, the pixels are stored rotated.
    upload = SimpleUploadedFile("photo.jpg", phone_photo(orientation=6))
    with Image.open(uploads.without_image_metadata(upload)) as image:
        assert image.size == (20, 40)


def test_every_page_of_a_multipage_tiff_scan_is_kept():
    pages = [Image.new("L", (30, 30), shade) for shade in (0, 128, 255)]
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:])
    cleaned = uploads.without_image_metadata(SimpleUploadedFile("scan.tif", out.getvalue()))
    with Image.open(cleaned) as image:
        assert image.n_frames == 3


def test_a_pdf_is_returned_unchanged():
    upload = SimpleUploadedFile("lettre.pdf", b"%PDF-1.4\n%%EOF\n")
    assert uploads.without_image_metadata(upload) is upload


def test_a_truncated_image_is_refused_in_french():
    upload = SimpleUploadedFile("photo.jpg", phone_photo()[:300])
    with pytest.raises(ValidationError, match="illisible"):
        uploads.without_image_metadata(upload)
