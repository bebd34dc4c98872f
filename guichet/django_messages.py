"""Django's own messages that citizens see (form errors), listed here so that `makemessages` keeps
them in our catalogues: Django ships no Hausa or Zarma translation of them."""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES_CITIZENS_SEE = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    gettext_noop("CSRF verification failed. Request aborted."),
]
