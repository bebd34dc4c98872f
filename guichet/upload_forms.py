"""Forms that never lose an uploaded file: `KeepsUploadsMixin` and its `KeptFileInput` widget.

Every form with a file field uses the mixin, and its view passes `upload_owner=
uploads.upload_owner(request)`. When the form is shown again (its own errors or a service's),
each valid file it received is kept in temporary storage (`guichet.uploads.keep_upload`) and the
field reads « Fichier déjà joint : NOM (remplacer) » with a signed token in a hidden input; the
next submit gets the file back through that token, unless a new file replaces it.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html
from django.utils.translation import gettext as _

from guichet import uploads

KEPT_SUFFIX = "__kept"


class KeptFileInput(forms.ClearableFileInput):
    """A file input that also shows (and carries the token of) a file kept from a failed submit."""

    kept = None  # a callable returning (token, name) or None, set by the form for its own copy

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        kept = self.kept() if self.kept else None
        if not kept:
            return html
        token, filename = kept
        input_id = (attrs or {}).get("id") or self.attrs.get("id") or ""
        return format_html(
            '<p class="kept-upload">{} <strong>{}</strong> '
            '<label for="{}" class="kept-upload-replace">({})</label></p>'
            '<input type="hidden" name="{}" value="{}">{}',
            _("Fichier déjà joint :"),
            filename,
            input_id,
            _("remplacer"),
            name + KEPT_SUFFIX,
            token,
            html,
        )


class KeepsUploadsMixin:
    """Put first in the bases of a form with file fields. Without `upload_owner` (a form built
    outside a request) nothing is kept."""

    def __init__(self, *args, upload_owner: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_owner = upload_owner
        self._kept_tokens = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                widget = field.widget
                if not isinstance(widget, KeptFileInput):
                    widget = KeptFileInput(attrs=widget.attrs)
                    widget.is_required = field.required
                    field.widget = widget
                widget.kept = self._kept_for(name)
        if self.is_bound and upload_owner:
            self._claim_kept_uploads()

    def _file_fields(self):
        return [name for name, field in self.fields.items() if isinstance(field, forms.FileField)]

    def _claim_kept_uploads(self) -> None:
        """Files sent earlier come back through their token, unless a new one was chosen."""
        files = self.files.copy()
        for name in self._file_fields():
            key = self.add_prefix(name)
            token = self.data.get(key + KEPT_SUFFIX)
            if not token or files.get(key):
                continue
            upload = uploads.claim_upload(token, self.upload_owner)
            if upload is None:
                self._lost_uploads = [*getattr(self, "_lost_uploads", []), name]
            else:
                files[key] = upload
        self.files = files

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "_lost_uploads", []):
            if name not in self.errors or not self.errors[name]:
                self.add_error(
                    name,
                    _(
                        "Le fichier joint précédemment n'est plus disponible (délai dépassé) : "
                        "joignez-le de nouveau."
                    ),
                )

    def _kept_for(self, name: str):
        def kept():
            if not self.is_bound or not self.upload_owner:
                return None
            if name in self._kept_tokens:
                return self._kept_tokens[name]
            upload = self.files.get(self.add_prefix(name))
            if not isinstance(upload, UploadedFile) or self.errors.get(name):
                return None
            token = uploads.keep_upload(upload, self.upload_owner)
            self._kept_tokens[name] = (token, upload.name) if token else None
            return self._kept_tokens[name]

        return kept
