"""The criminal record: persons, convictions ("fiches"), their later events, requests and bulletins.

Nothing here is ever deleted: a conviction is corrected or removed by an event that cites the
decision, and every write leaves an audit entry (services.py).

One module per topic: reference.py (legal parameters, offences, courts' fees and signatories),
persons.py, convictions.py (with their penalties and events), bulletins.py (requests and the
extracts issued) and legacy.py (the paper cards). Every model is imported here, so that
`from guichet.criminal_records.models import X` and Django's app registry find it; the modules are
imported in the order the models were defined in, so the registry lists them as before.
"""

# isort: off
from guichet.criminal_records.models.reference import CourtOffice, Offence, RuleParameter
from guichet.criminal_records.models.persons import Person, PersonNameKey
from guichet.criminal_records.models.convictions import (
    Conviction,
    ConvictionEvent,
    Penalty,
    duration_display,
)
from guichet.criminal_records.models.bulletins import (
    BulletinRequest,
    IdentityProof,
    IssuedBulletin,
    new_reference,
    normalise_reference,
    new_verification_code,
)
from guichet.criminal_records.models.legacy import CardKeying, LegacyCard
# isort: on

__all__ = [
    "BulletinRequest",
    "CardKeying",
    "Conviction",
    "ConvictionEvent",
    "CourtOffice",
    "IdentityProof",
    "IssuedBulletin",
    "LegacyCard",
    "Offence",
    "Penalty",
    "Person",
    "PersonNameKey",
    "RuleParameter",
    "duration_display",
    "new_reference",
    "new_verification_code",
    "normalise_reference",
]
