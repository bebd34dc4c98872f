"""`__in` on integer columns with values no column can hold matches nothing instead of crashing.

Django (5.2) answers `pk=99999999999999999999` with no rows (IntegerFieldOverflow) but not
`pk__in=[99999999999999999999]`: SQLite raises OverflowError, PostgreSQL NumericValueOutOfRange,
and ModelMultipleChoiceField (the admin's many-to-many widgets) turned a posted huge id into a
500; the admin's autocomplete widget did the same with a posted "abc". Values that are not
integers, or out of the column's range, are dropped from the list before it reaches the database.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class BoundedIntegerIn(In):
    def get_prep_lookup(self):
        # A value that is no integer at all ("abc", posted back into the admin's autocomplete
        # widget, which looks the selected ids up with __in to render them again) matches nothing.
        if self.rhs_is_direct_value() and not isinstance(self.rhs, str | bytes):
            field = self.lhs.output_field
            kept = []
            for value in self.rhs:
                try:
                    field.get_prep_value(value)
                except (TypeError, ValueError):
                    continue
                kept.append(value)
            self.rhs = kept
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(BoundedIntegerIn)
