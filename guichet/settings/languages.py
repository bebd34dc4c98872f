"""Languages and time: French first, Hausa and Zarma declared for Django, the catalogues, Niamey's
time zone."""

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from guichet.settings.environment import BASE_DIR

# Languages: French first; Hausa and Zarma are not in Django, so they are declared here.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("ha", _("Hausa")),
    ("dje", _("Zarma")),
    ("en", _("English")),
]
LANG_INFO.setdefault("ha", {"bidi": False, "code": "ha", "name": "Hausa", "name_local": "Hausa"})
LANG_INFO.setdefault(
    "dje", {"bidi": False, "code": "dje", "name": "Zarma", "name_local": "Zarmaciine"}
)
LOCALE_PATHS = [BASE_DIR / "guichet" / "locale"]
TIME_ZONE = "Africa/Niamey"
USE_I18N = True
USE_TZ = True
