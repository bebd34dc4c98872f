"""Reads that need more than one line."""

from django.conf import settings
from django.contrib.auth import get_user_model


def language_of(phone: str) -> str:
    """The preferred language of the citizen with this number, else the default language."""
    user_model = get_user_model()
    if not hasattr(user_model, "phone_number"):
        return settings.LANGUAGE_CODE
    language = (
        user_model.objects.filter(phone_number=phone)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return language or settings.LANGUAGE_CODE
