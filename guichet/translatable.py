"""Text of the modules that import no Django (the Journal's number parsers, the trace reader):
labels marked for makemessages, and errors whose French message is kept as its template and
values, so that the Django side shows them in the reader's language.

Labels and templates are marked with `gettext_noop` (a name makemessages extracts), and the Django side
translates them with `error.translated(gettext)`. `str(error)` stays the French message, for logs,
commands and tests.
"""

from __future__ import annotations

from collections.abc import Callable


def gettext_noop(message: str) -> str:
    """Marks `message` for makemessages; translated later, where Django is."""
    return message


class TranslatableLabel(str):
    """A label marked with `gettext_noop`, put in an error's message: translated with it."""


class TranslatableError(ValueError):
    def __init__(self, template: str, **values) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)

    def translated(self, translate: Callable[[str], str]) -> str:
        """The message in the active language (`translate` is Django's gettext)."""
        template = translate(self.template)
        if not self.values:
            return template
        # A value may be an error itself (« Ligne 3 : <the number's error> ») or a label.
        values = {
            name: value.translated(translate)
            if isinstance(value, TranslatableError)
            else translate(value)
            if isinstance(value, TranslatableLabel)
            else value
            for name, value in self.values.items()
        }
        return template % values
