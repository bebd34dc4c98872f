"""Attack suite, issue 9: the admin holds reference data, not complainants' files."""

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured

from guichet.accounts.admin_site import GuichetAdminSite
from guichet.complaints.models import Category, Complaint, DuplicateSubmission


@pytest.mark.parametrize("model", [Complaint, DuplicateSubmission])
def test_complaints_are_not_browsable_in_the_admin(model):
    assert not admin.site.is_registered(model)
    with pytest.raises(ImproperlyConfigured, match="must not be registered"):
        GuichetAdminSite(name="probe").register(model)


def test_complaint_categories_stay_in_the_admin():
    assert admin.site.is_registered(Category)
