"""Guichet settings: every deployment knob read from the environment (12-factor), one module per
topic, gathered here: `guichet.settings` is the DJANGO_SETTINGS_MODULE.

See docs/deploy.md for the production layout and the list of variables.
"""

# First, because it applies local.env before any other module reads a variable; the others
# import what they need from one another, so their order does not matter.
from guichet.settings.environment import *

# isort: split
from guichet.settings.audit_and_signing import *
from guichet.settings.authentication import *
from guichet.settings.background_jobs import *
from guichet.settings.languages import *
from guichet.settings.messaging import *
from guichet.settings.observability import *
from guichet.settings.project import *
from guichet.settings.public_services import *
from guichet.settings.retention import *
from guichet.settings.security import *
from guichet.settings.storage import *
