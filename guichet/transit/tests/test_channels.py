import datetime
import re
import zoneinfo

import pytest
import time_machine

from guichet.notifications.channels import find_sms_command
from guichet.transit import demo
from guichet.transit.channels import answer_bus

pytestmark = pytest.mark.django_db
WEDNESDAY_0700 = datetime.datetime(2026, 12, 9, 7, 0, tzinfo=zoneinfo.ZoneInfo("Africa/Niamey"))


@pytest.fixture
def niamey(organisations):
    demo.load(lambda line: None)


def test_bus_keyword_is_registered():
    assert find_sms_command("bus") is not None


@time_machine.travel(WEDNESDAY_0700, tick=False)
@pytest.mark.parametrize(
    "text",
    [
        "katako aeroport",
        "KATAKO > Aéroport",
        "Katako - aeroprt",
        "dar es salam universite abdou moumouni",
        "Grand Marche > gamkalle",
    ],
)
def test_bus_answers_the_next_journey_in_one_sms(niamey, text):
    reply = answer_bus(text)
    assert len(reply) <= 160
    assert "arr " in reply and ":" in reply, reply


@time_machine.travel(WEDNESDAY_0700, tick=False)
def test_bus_names_the_first_departure(niamey):
    reply = answer_bus("katako aeroport")
    assert reply.startswith("07:00 ligne 1 Katako>Aéroport")


def test_unclear_name_answers_the_closest_choices(niamey):
    reply = answer_bus("marche > aeroport")
    assert "Grand Marché" in reply and "Petit Marché" in reply
    assert len(reply) <= 160


def test_unknown_name(niamey):
    assert "inconnu" in answer_bus("xyzzy > aeroport")


def test_demo_is_idempotent(niamey):
    from guichet.transit.models import Feed, Frequency

    demo.load(lambda line: None)
    assert Feed.objects.filter(name="niamey", illustrative=True).count() == 1
    assert Frequency.objects.count() == 6


@time_machine.travel(WEDNESDAY_0700, tick=False)
def test_ussd_asks_departure_then_arrival_then_answers(niamey):
    from types import SimpleNamespace

    from guichet.notifications.channels import InvalidInput
    from guichet.transit.channels import bus_by_ussd

    session = SimpleNamespace(data={}, phone_number="+22790000000")
    assert not bus_by_ussd(session, []).end
    assert "arrivée" in bus_by_ussd(session, ["katako"]).text
    reply = bus_by_ussd(session, ["katako", "aeroport"])
    assert reply.end and reply.text.startswith("07:00 ligne 1 Katako>Aéroport")
    with pytest.raises(InvalidInput):
        bus_by_ussd(session, ["xyzzy"])


@time_machine.travel(
    datetime.datetime(2026, 12, 9, 22, 30, tzinfo=zoneinfo.ZoneInfo("Africa/Niamey")), tick=False
)
def test_bus_after_the_last_service_names_the_day(niamey):
    reply = answer_bus("katako aeroport")
    assert reply.startswith("demain 06:00 ligne 1 Katako>Aéroport"), reply


@time_machine.travel(WEDNESDAY_0700, tick=False)
@pytest.mark.parametrize(
    ("text", "starts"),
    [
        # The time the traveller gives was dropped: every one of these answered 07:00.
        ("katako aeroport 18:00", "18:00 ligne 1 Katako>Aéroport"),
        ("Katako > Aéroport 18h", "18:00 ligne 1 Katako>Aéroport"),
        ("katako > aeroport à 17h30", "17:30 ligne 1 Katako>Aéroport"),
        ("katako aeroport vers 9H", "09:00 ligne 1 Katako>Aéroport"),
        ("katako aeroport 9.30", "09:30 ligne 1 Katako>Aéroport"),
        # A time past today is tomorrow's; « demain » alone, tomorrow's first departure.
        ("katako aeroport 6h", "demain 06:00 ligne 1 Katako>Aéroport"),
        ("katako aeroport demain 8h", "demain 08:00 ligne 1 Katako>Aéroport"),
        ("katako aeroport 8h demain", "demain 08:00 ligne 1 Katako>Aéroport"),
        ("katako aeroport demain", "demain 06:00 ligne 1 Katako>Aéroport"),
        # Without a time: now, as before.
        ("katako aeroport", "07:00 ligne 1 Katako>Aéroport"),
    ],
)
def test_bus_leaves_at_the_time_asked(niamey, text, starts):
    reply = answer_bus(text)
    assert reply.startswith(starts), reply


@time_machine.travel(WEDNESDAY_0700, tick=False)
def test_the_time_asked_survives_a_choice_between_stops(niamey):
    from guichet.transit.channels import answer_choice

    reply = answer_bus("marche > aeroport 18h", phone="+22790000001")
    assert "1)" in reply
    reply = answer_choice("+22790000001", 1)
    assert "18:" in reply.split(" ligne")[0], reply


@time_machine.travel(WEDNESDAY_0700, tick=False)
@pytest.mark.parametrize("text", ["katako,aeroport", "Katako, Aéroport", "katako , aeroport 7h"])
def test_a_comma_between_the_stops_is_read(niamey, text):
    """« BUS Katako,Aéroport » answered the syntax help: a comma was no separator."""
    assert answer_bus(text).startswith("07:00 ligne 1 Katako>Aéroport")


@pytest.mark.parametrize("width", [20, 14, 10, 7])
def test_names_cut_to_fit_never_read_alike(width):
    """« 1) Boulev. 2) Boulev. »: cut to fit, two stops read the same, and the traveller could
    not tell which number to answer."""
    from guichet.transit.channels import _shorten_apart

    names = [
        "Boulevard de l'Indépendance Nord",
        "Boulevard de l'Indépendance Sud",
        "Boulevard Mali Béro",
        "Katako",
    ]
    short = _shorten_apart(names, width)
    assert len(set(short.values())) == len(names), short
    assert all(len(text) <= width for text in short.values()), short
    assert short["Katako"] == "Katako"


def test_a_numbered_choice_names_each_stop_apart():
    from types import SimpleNamespace

    from guichet.transit.channels import _ask

    candidates = [
        SimpleNamespace(stop_id=str(n), name=f"Boulevard de la République, devant le marché {side}")
        for n, side in enumerate(["Est", "Ouest", "Centre"])
    ]
    reply = _ask(None, "", ["boulevard republique", "x"], [None, None], 0, candidates, None)
    labels = re.findall(r"\d\) (.*?)(?= \d\)|$)", reply)
    assert len(labels) == 3 and len(set(labels)) == 3, reply


@pytest.mark.parametrize(
    ("seconds", "said"), [(0, "à pied"), (22, "marche 22 s"), (61, "marche 2 min")]
)
def test_a_walk_is_said_by_its_length_and_a_change_in_place_without_zero(seconds, said):
    from guichet.transit.channels import _walk

    assert _walk(seconds) == said


def test_a_stop_without_a_name_is_kept_as_it_was():
    from guichet.transit.channels import _shorten_apart

    assert _shorten_apart(["", "Katako", ""], 10) == {"": "", "Katako": "Katako"}
