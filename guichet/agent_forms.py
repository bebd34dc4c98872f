"""What agents' forms share: a required choice that has a single option is already chosen.

« Unité qui enregistre » for a clerk of one unit, « Registre » for a clerk of one administration:
making them pick the only option (or fail the first submit because they did not) is an avoidable
error. Put `PreselectsSingleChoiceMixin` first in the bases of a form.
"""

from django import forms


def _real_choices(field: forms.ChoiceField) -> list:
    values = []
    for value, label in field.choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            values.extend(v for v, _label in label if v not in field.empty_values)
        elif value not in field.empty_values:
            values.append(value)
    return values


class PreselectsSingleChoiceMixin:
    """Read when the form is shown (`get_initial_for_field`), so querysets given in the form's
    own `__init__` count."""

    def get_initial_for_field(self, field, field_name):
        value = super().get_initial_for_field(field, field_name)
        if value not in (None, "") or not field.required or field.disabled:
            return value
        if isinstance(field.widget, forms.HiddenInput) or isinstance(
            field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
        ):
            return value
        if isinstance(field, forms.ModelChoiceField):
            options = list(field.queryset[:2])
            if len(options) == 1:
                field.empty_label = None  # the only option: nothing else to pick
                return options[0].pk
        elif isinstance(field, forms.ChoiceField):
            options = _real_choices(field)
            if len(options) == 1:
                return options[0]
        return value
