"""Hostile GTFS archives (issue 9): zip bombs are refused before anything is unpacked, and a
duplicate primary key is MobilityData's duplicate_key error — nothing is imported."""

import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guichet.transit import services
from guichet.transit.models import Feed, StopTime
from guichet.transit.tests.conftest import SMALL
from guichet.transit.validation import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def bomb(tmp_path):
    """The small feed plus a 16 MB file of one repeated line (≈ 1000:1), 16 KB on disk."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in SMALL.items():
            archive.writestr(name, text)
        archive.writestr("shapes.txt", "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n")
        with archive.open("notes.txt", "w") as handle:
            line = b"x" * 1023 + b"\n"
            for _ in range(16 * 1024):
                handle.write(line)
    assert path.stat().st_size < 200_000
    return path


def test_a_zip_bomb_is_refused_by_the_service(bomb, organisations):
    with pytest.raises(services.TransitError, match="compressé"):
        services.import_feed(bomb, "bombe", organisation=organisations["MT-DTT"])
    assert not Feed.objects.filter(name="bombe").exists()


def test_a_zip_bomb_is_refused_by_the_command(bomb, organisations):
    with pytest.raises(CommandError, match="Archive refusée"):
        call_command("import_gtfs", str(bomb), "--name", "bombe")
    assert not Feed.objects.filter(name="bombe").exists()


def test_a_zip_bomb_is_refused_through_the_web_form(client, make_agent, bomb):
    client.force_login(make_agent("agent.transport", "transport_agent", "MT-DTT"))
    with open(bomb, "rb") as handle:
        response = client.post("/transport/gestion/importer/", {"name": "bombe", "file": handle})
    assert response.status_code == 200
    assert "Archive refusée" in response.content.decode()
    assert not Feed.objects.filter(name="bombe").exists()


def test_an_archive_over_the_configured_size_is_refused(small_feed, organisations, settings):
    settings.TRANSIT_GTFS_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(services.TransitError, match="au-delà de la limite"):
        services.import_feed(small_feed, "petit", organisation=organisations["MT-DTT"])


def test_real_feeds_pass_the_default_limits():
    from guichet.transit.gtfs import archive_problem
    from guichet.transit.tests.conftest import gtfs_data_dir

    paths = sorted(gtfs_data_dir().glob("*.zip"))
    if not paths:
        pytest.skip("no real GTFS feed here")
    assert [archive_problem(p) for p in paths] == [None] * len(paths)


DUPLICATE_STOP_TIME = SMALL["stop_times.txt"] + "T1,08:20:00,08:20:00,HAR,2\n"


def test_a_duplicate_trip_and_stop_sequence_is_a_duplicate_key(make_feed):
    report = validate(make_feed(stop_times__txt=DUPLICATE_STOP_TIME))
    notices = [n for n in report.samples if n.code == "duplicate_key"]
    assert len(notices) == 1 and report.has_errors
    (notice,) = notices
    assert notice.file == "stop_times.txt" and notice.line == 11
    assert notice.detail["oldCsvRowNumber"] == 3
    assert (notice.detail["fieldValue1"], notice.detail["fieldValue2"]) == ("T1", 2)


def test_a_feed_with_a_duplicate_key_is_not_imported(make_feed, organisations):
    with pytest.raises(services.FeedRefused):
        services.import_feed(
            make_feed(stop_times__txt=DUPLICATE_STOP_TIME),
            "double",
            organisation=organisations["MT-DTT"],
        )
    assert not Feed.objects.filter(name="double").exists()
    assert not StopTime.objects.exists()
