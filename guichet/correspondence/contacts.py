"""The correspondents' directory of each ministry: adding, finding, flagging and merging
contacts. One transaction each, with its audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, User
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.correspondence import selectors
from guichet.correspondence.models import Contact, Mail, fold


def _digits(phone: str) -> str:
    digits = "".join(c for c in phone or "" if c.isdigit())
    return digits[-8:]  # Niger's numbers are 8 digits after +227


def _directory_for(actor: User, directory: Organisation | None) -> Organisation:
    """The directory a contact goes in: the one given (which must be the actor's), else the
    actor's only one."""
    own = list(selectors.directories_of(actor))
    if directory is not None:
        if directory not in own:
            raise PermissionDenied(_("Cet annuaire de correspondants n'est pas le vôtre."))
        return directory
    if len(own) != 1:
        raise ValidationError(
            _("Indiquez l'annuaire (le ministère) auquel ajouter ce correspondant.")
        )
    return own[0]


def find_duplicates(*, name: str, email: str = "", phone: str = "", exclude=None, directory=None):
    condition = Q(folded_name=fold(name))
    if email:
        condition |= Q(email__iexact=email.strip())
    phone_digits = _digits(phone)
    candidates = Contact.objects.filter(condition, directory=directory)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    found = list(candidates)
    if len(phone_digits) == 8:
        found += [
            c
            for c in Contact.objects.filter(directory=directory)
            .exclude(phone="")
            .exclude(pk__in=[c.pk for c in found])
            if _digits(c.phone) == phone_digits and (exclude is None or c.pk != exclude.pk)
        ]
    return found


@transaction.atomic
def create_contact(
    *, actor: User, name: str, directory: Organisation | None = None, **fields
) -> Contact:
    """Add a correspondent to a ministry's directory (`directory`, by default the actor's). A
    likely duplicate in that directory (same name once folded, same email or phone) is not
    refused — homonyms exist — but flagged for a clerk to merge."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Indiquez le nom du correspondant.")})
    directory = _directory_for(actor, directory)
    duplicates = find_duplicates(
        name=name,
        email=fields.get("email", ""),
        phone=fields.get("phone", ""),
        directory=directory,
    )
    contact = Contact.objects.create(
        name=name,
        directory=directory,
        created_by=actor,
        possible_duplicate_of=duplicates[0] if duplicates else None,
        **fields,
    )
    record(audit_actions.Correspondence.CONTACT_CREATED, actor=actor, target=contact)
    return contact


@transaction.atomic
def find_or_create_contact(
    *, actor: User, name: str, organisation_name: str = "", directory: Organisation | None = None
) -> Contact:
    """The directory's contact of that name (folded), else a new one (flagged if it looks like
    another)."""
    directory = _directory_for(actor, directory)
    existing = Contact.objects.filter(folded_name=fold(name), directory=directory)
    if organisation_name.strip():
        existing = existing.filter(organisation_name__iexact=organisation_name.strip())
    contact = existing.order_by("pk").first()
    if contact is not None:
        return contact
    return create_contact(
        actor=actor,
        name=name,
        organisation_name=organisation_name.strip(),
        directory=directory,
    )


@transaction.atomic
def merge_contacts(*, actor: User, keep: Contact, duplicate: Contact) -> Contact:
    """Move the duplicate's mails to `keep`, then delete the duplicate — both in the actor's
    directory."""
    own = set(selectors.directories_of(actor).values_list("pk", flat=True))
    if keep.directory_id not in own or duplicate.directory_id not in own:
        raise PermissionDenied(_("Ces correspondants ne sont pas dans votre annuaire."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Un correspondant ne peut être fusionné avec lui-même."))
    moved = Mail.objects.filter(correspondent=duplicate).update(correspondent=keep)
    Contact.objects.filter(possible_duplicate_of=duplicate).update(possible_duplicate_of=keep)
    for field in ("email", "phone", "address", "title", "organisation_name"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    if keep.possible_duplicate_of_id == duplicate.pk:
        keep.possible_duplicate_of = None
    keep.save()
    record(
        audit_actions.Correspondence.CONTACT_MERGED,
        actor=actor,
        target=keep,
        data={"merged": duplicate.pk, "name": duplicate.name, "mails_moved": moved},
    )
    duplicate.delete()
    return keep


@transaction.atomic
def dismiss_duplicate(*, actor: User, contact: Contact) -> Contact:
    contact.possible_duplicate_of = None
    contact.save(update_fields=["possible_duplicate_of"])
    record(audit_actions.Correspondence.CONTACT_NOT_DUPLICATE, actor=actor, target=contact)
    return contact
