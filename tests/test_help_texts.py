"""Help texts are read by screen readers: every aria-describedby that Django's widgets write
points at a paragraph of the page (the form partials used "-help" / "_help" ids before)."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, signed_in",
    [
        ("/plaintes/deposer/", False),
        ("/connexion/", False),
        ("/casier/demande/", True),
        ("/eig/candidature/profil/", True),
    ],
)
def test_every_described_field_points_at_its_help_paragraph(client, citizen, path, signed_in):
    if signed_in:
        client.force_login(citizen)
    page = client.get(path).content.decode()
    described = {
        target
        for value in re.findall(r'aria-describedby="([^"]+)"', page)
        for target in value.split()
    }
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert described, path
    assert described <= ids, (path, described - ids)
