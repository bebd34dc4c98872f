"""Every form with a file keeps it across a failed submit (issue 14), through one mechanism."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

import guichet
from guichet import uploads
from guichet.upload_forms import KeepsUploadsMixin

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# Forms whose only way to fail is a refused file: there is nothing valid to keep for the next
# submit. The trace upload takes several GPS files at once and refuses the whole set when one is
# unreadable (the agent chooses the set again without that file).
ONLY_FAIL_ON_THEIR_FILES = {"guichet.transit.trace_forms.TraceUploadForm"}


def _forms_with_files():
    found = []
    for module_info in pkgutil.walk_packages(guichet.__path__, "guichet."):
        if not module_info.name.endswith("forms") or ".tests" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and any(isinstance(f, forms.FileField) for f in cls.base_fields.values())
                and f"{cls.__module__}.{cls.__qualname__}" not in ONLY_FAIL_ON_THEIR_FILES
            ):
                found.append(cls)
    return found


def test_the_forms_with_files_are_found():
    names = {cls.__name__ for cls in _forms_with_files()}
    for exempt in ONLY_FAIL_ON_THEIR_FILES:
        module, _dot, name = exempt.rpartition(".")
        form = getattr(importlib.import_module(module), name)
        assert set(form.base_fields) <= {"files", "recorded"}, f"{exempt} has other fields now"
    assert {"RegisterMailForm", "CitizenRequestForm", "ComplaintForm", "CandidateForm"} <= names
    assert {"UploadForm", "VerifyForm", "ScanForm"} <= names


@pytest.mark.parametrize("form_class", _forms_with_files(), ids=lambda cls: cls.__qualname__)
def test_every_form_with_a_file_keeps_it(form_class):
    assert issubclass(form_class, KeepsUploadsMixin)


def test_every_view_building_such_a_form_names_the_owner():
    """A form built without `upload_owner` keeps nothing: each view must pass it."""
    names = [cls.__name__ for cls in _forms_with_files()]
    pattern = re.compile(r"\b(" + "|".join(names) + r")\(")
    missing = []
    for module_info in pkgutil.walk_packages(guichet.__path__, "guichet."):
        if "views" not in module_info.name or ".tests" in module_info.name:
            continue
        source = inspect.getsource(importlib.import_module(module_info.name))
        for match in pattern.finditer(source):
            call = source[match.start() : source.find(")\n", match.start()) + 1]
            if "request.FILES" in call and "upload_owner=" not in call:
                missing.append(f"{module_info.name}: {call}")
    assert missing == []


class _Form(KeepsUploadsMixin, forms.Form):
    title = forms.CharField()
    document = forms.FileField(required=False)


def _request(user=None, method="post"):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request = getattr(RequestFactory(), method)("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_the_file_back_but_another_visitor_does_not(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    owner = uploads.upload_owner(_request())
    upload = SimpleUploadedFile("acte.pdf", PDF, content_type="application/pdf")
    form = _Form({"title": ""}, {"document": upload}, upload_owner=owner)
    assert not form.is_valid()
    html = str(form["document"])
    assert "Fichier déjà joint" in html and "acte.pdf" in html
    token = re.search(r'name="document__kept" value="([^"]+)"', html)[1]
    stranger = uploads.upload_owner(_request())
    assert stranger != owner
    refused = _Form({"title": "x", "document__kept": token}, {}, upload_owner=stranger)
    assert not refused.is_valid() and "document" in refused.errors
    again = _Form({"title": "x", "document__kept": token}, {}, upload_owner=owner)
    assert again.is_valid()
    assert again.cleaned_data["document"].read() == PDF
    assert again.cleaned_data["document"].name == "acte.pdf"
    # Claimed once: the temporary copy is gone.
    assert uploads.claim_upload(token, owner) is None


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_not_kept(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.KEPT_UPLOAD_MAX_SIZE = 10
    upload = SimpleUploadedFile("acte.pdf", PDF, content_type="application/pdf")
    form = _Form({"title": ""}, {"document": upload}, upload_owner="user:1")
    assert not form.is_valid()
    assert "Fichier déjà joint" not in str(form["document"])


@pytest.mark.django_db
def test_a_mere_visit_opens_no_session():
    request = _request(method="get")
    assert uploads.upload_owner(request) == ""
    assert not request.session.modified
