"""Forms of the trace-to-GTFS pages: a new survey, trace uploads, the proposal's edits, publishing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.transit.forms import RouteForm
from guichet.transit.trace_services import band_label


class SurveyForm(forms.Form):
    short_name = forms.CharField(label=_("Numéro ou nom court de la ligne"), max_length=100)
    long_name = forms.CharField(label=_("Nom long"), max_length=200, required=False)
    headsign = forms.CharField(
        label=_("Destination affichée (sens relevé)"), max_length=200, required=False
    )
    route_type = RouteForm.base_fields["route_type"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django documentation, « Uploading multiple files »)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".gpx,.geojson,.json"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TraceUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Traces GPS (GPX ou GeoJSON, plusieurs fichiers possibles)"), required=False
    )
    # Filled by the optional recorder page (its JavaScript writes a GeoJSON trace here).
    recorded = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5_000_000)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not cleaned.get("recorded"):
            raise forms.ValidationError(_("Choisissez au moins un fichier de trace."))
        return cleaned


def _minutes(seconds: int) -> str:
    return f"{seconds / 60:.1f}".removesuffix(".0")


class ProposalForm(forms.Form):
    """One row per proposed stop (name, position, drop, merge with a nearby existing stop) and,
    per hour band, the minutes from the first stop to each stop and the headway in minutes."""

    def __init__(self, proposal: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.rows = []
        for i, stop in enumerate(proposal.get("stops", [])):
            self.fields[f"name-{i}"] = forms.CharField(
                label=_("Nom"), max_length=200, required=False, initial=stop["name"]
            )
            self.fields[f"lat-{i}"] = forms.FloatField(
                label=_("Latitude"), min_value=-90, max_value=90, initial=stop["lat"]
            )
            self.fields[f"lon-{i}"] = forms.FloatField(
                label=_("Longitude"), min_value=-180, max_value=180, initial=stop["lon"]
            )
            self.fields[f"drop-{i}"] = forms.BooleanField(
                label=_("Supprimer"), required=False, initial=stop.get("drop", False)
            )
            choices = [("", _("Nouvel arrêt"))]
            if stop["existing"]:
                choices = [(stop["stop_id"], f"{stop['name']} ({stop['stop_id']})"), *choices]
            choices += [
                (c["stop_id"], f"{c['name']} ({c['stop_id']}, {c['distance']} m)")
                for c in stop["candidates"]
                if c["stop_id"] != stop["stop_id"]
            ]
            self.fields[f"merge-{i}"] = forms.ChoiceField(
                label=_("Arrêt existant"),
                choices=choices,
                required=False,
                initial=stop["stop_id"] if stop["existing"] else "",
            )
            self.rows.append((i, stop))
        self.bands = []
        for b, band in enumerate(proposal.get("bands", [])):
            cells = []
            for i, value in enumerate(band["arrival"]):
                name = f"time-{b}-{i}"
                self.fields[name] = forms.FloatField(
                    label=_("Minutes depuis le premier arrêt"),
                    min_value=0,
                    max_value=24 * 60,
                    initial=_minutes(value),
                )
                cells.append(name)
            headway = f"headway-{b}"
            self.fields[headway] = forms.FloatField(
                label=_("Intervalle (minutes)"),
                min_value=1,
                max_value=240,
                required=False,
                initial=_minutes(band["headway"]) if band.get("headway") else None,
            )
            self.bands.append((b, band, band_label(band), cells, headway))

    def stop_rows(self):
        """(index, stop, bound fields) for the template."""
        return [
            (i, stop, [self[f"{k}-{i}"] for k in ("name", "lat", "lon", "merge", "drop")])
            for i, stop in self.rows
        ]

    def band_rows(self):
        return [
            (label, band, [self[c] for c in cells], self[headway])
            for _b, band, label, cells, headway in self.bands
        ]

    def edits(self) -> tuple[list[dict], list[dict]]:
        data = self.cleaned_data
        stops = [
            {
                "name": data[f"name-{i}"],
                "lat": data[f"lat-{i}"],
                "lon": data[f"lon-{i}"],
                "drop": data[f"drop-{i}"],
                "merge": data[f"merge-{i}"],
            }
            for i, _stop in self.rows
        ]
        bands = [
            {
                "arrival": [round(data[c] * 60) for c in cells],
                "headway": round(data[h] * 60) if data.get(h) else None,
            }
            for _b, _band, _label, cells, h in self.bands
        ]
        return stops, bands


class PublishForm(forms.Form):
    service_id = forms.ChoiceField(label=_("Calendrier de service"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_id"].choices = choices
