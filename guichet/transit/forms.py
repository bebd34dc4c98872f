"""Forms of the network editor (transport agents) and of the GTFS upload page."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.transit.models import Calendar, Stop
from guichet.upload_forms import KeepsUploadsMixin

DAY_CHOICES = [
    ("monday", _("lundi")),
    ("tuesday", _("mardi")),
    ("wednesday", _("mercredi")),
    ("thursday", _("jeudi")),
    ("friday", _("vendredi")),
    ("saturday", _("samedi")),
    ("sunday", _("dimanche")),
]
_CLOCK = re.compile(r"^(\d{1,2})[:hH](\d{2})$")


def parse_clock(text: str) -> int:
    """ "6:00", "06h00", "25:10" → seconds since midnight of the service day."""
    match = _CLOCK.match(text.strip())
    if not match or int(match.group(2)) > 59:
        raise forms.ValidationError(_("Heure invalide : « %(t)s » (ex. 06:30).") % {"t": text})
    return int(match.group(1)) * 3600 + int(match.group(2)) * 60


class UploadForm(KeepsUploadsMixin, forms.Form):
    name = forms.SlugField(
        label=_("Nom du réseau"),
        max_length=64,
        help_text=_("Minuscules et tirets ; un nom existant est remplacé."),
    )
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(label=_("Fichier GTFS (zip)"))


class FeedForm(forms.Form):
    name = forms.SlugField(label=_("Nom du réseau"), max_length=64)
    title = forms.CharField(label=_("Titre"), max_length=200)
    agency_name = forms.CharField(label=_("Exploitant"), max_length=200)
    agency_url = forms.URLField(label=_("Site de l'exploitant"), assume_scheme="https")


class StopForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'arrêt"), max_length=200)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


class RouteForm(forms.Form):
    short_name = forms.CharField(label=_("Numéro ou nom court"), max_length=50)
    long_name = forms.CharField(label=_("Nom long"), max_length=200, required=False)
    route_type = forms.TypedChoiceField(
        label=_("Mode"),
        coerce=int,
        choices=[
            (3, _("Bus")),
            (0, _("Tramway")),
            (2, _("Train")),
            (4, _("Bac")),
            (715, _("Transport à la demande / taxi collectif")),
        ],
    )
    color = forms.CharField(label=_("Couleur (hexadécimal)"), max_length=7, required=False)


class DateListField(forms.CharField):
    """Dates written as 2026-12-18 or 18/12/2026, separated by commas, spaces or new lines."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value) -> list[datetime.date]:
        dates = []
        for token in re.split(r"[\s,;]+", (value or "").strip()):
            if not token:
                continue
            for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    dates.append(datetime.datetime.strptime(token, pattern).date())
                    break
                except ValueError:
                    continue
            else:
                raise forms.ValidationError(
                    _("Date illisible : « %(value)s ». Écrivez 2026-12-18 ou 18/12/2026."),
                    params={"value": token},
                )
        return sorted(set(dates))


class ServiceForm(forms.Form):
    service_id = forms.SlugField(label=_("Identifiant du calendrier"), max_length=64)
    days = forms.MultipleChoiceField(
        label=_("Jours"), choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))
    # GTFS: calendar_dates.txt, exception_type 1 (added) and 2 (removed).
    added = DateListField(
        label=_("Jours de service en plus"),
        required=False,
        help_text=_("Par exemple un jour férié travaillé : 2026-12-18"),
    )
    removed = DateListField(
        label=_("Jours sans service"),
        required=False,
        help_text=_("Par exemple les jours fériés : 2026-12-18, 2026-12-25"),
    )

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("added") or []) & set(cleaned.get("removed") or [])
        if both:
            raise forms.ValidationError(
                _("Un même jour ne peut être à la fois ajouté et retiré : %(days)s."),
                params={"days": ", ".join(day.isoformat() for day in sorted(both))},
            )
        return cleaned


class _TripForm(forms.Form):
    route = forms.ChoiceField(label=_("Ligne"))
    service_id = forms.ChoiceField(label=_("Calendrier"))
    headsign = forms.CharField(label=_("Destination affichée"), max_length=200, required=False)

    def __init__(self, *args, feed, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = feed
        self.fields["route"].choices = [(r.route_id, str(r)) for r in feed.route_set.all()]
        self.fields["service_id"].choices = [
            (c, c) for c in Calendar.objects.filter(feed=feed).values_list("service_id", flat=True)
        ]

    def _stop_lines(self, text: str) -> list[tuple[Stop, str]]:
        stops = {s.stop_id: s for s in Stop.objects.filter(feed=self.feed)}
        by_name = {s.name.lower(): s for s in stops.values()}
        out = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            head, _sep, value = line.rpartition(";") if ";" in line else line.rpartition(" ")
            key = head.strip()
            stop = stops.get(key) or by_name.get(key.lower())
            if stop is None:
                raise forms.ValidationError(
                    _("Ligne %(n)s : arrêt inconnu « %(s)s ».") % {"n": number, "s": key}
                )
            out.append((stop, value.strip()))
        if len(out) < 2:
            raise forms.ValidationError(_("Un trajet dessert au moins deux arrêts."))
        return out


class TripForm(_TripForm):
    stops = forms.CharField(
        label=_("Arrêts et heures"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une ligne par arrêt : identifiant ou nom ; heure (ex. « S1 ; 06:30 »)."),
    )

    def clean_stops(self):
        rows = self._stop_lines(self.cleaned_data["stops"])
        return [(stop, parse_clock(value)) for stop, value in rows]


class HeadwayForm(_TripForm):
    stops = forms.CharField(
        label=_("Arrêts et temps de parcours"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Une ligne par arrêt : identifiant ou nom ; minutes depuis le premier arrêt "
            "(ex. « S1 ; 0 », « S2 ; 7 »)."
        ),
    )
    start = forms.CharField(label=_("Premier départ"), initial="06:00")
    end = forms.CharField(label=_("Dernier départ avant"), initial="21:00")
    headway = forms.IntegerField(
        label=_("Toutes les (minutes)"), min_value=1, max_value=240, initial=15
    )

    def clean_stops(self):
        rows = self._stop_lines(self.cleaned_data["stops"])
        out = []
        for stop, value in rows:
            if not value.isdigit():
                raise forms.ValidationError(
                    _("Temps de parcours invalide : « %(v)s » (minutes).") % {"v": value}
                )
            out.append((stop, int(value) * 60))
        return out

    def clean_start(self):
        return parse_clock(self.cleaned_data["start"])

    def clean_end(self):
        return parse_clock(self.cleaned_data["end"])
