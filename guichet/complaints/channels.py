"""Complaints by SMS and USSD, through the platform's channels (imported from AppConfig.ready).

SMS:  "PLAINTE <texte>" files a complaint in the general category (the Médiateur's triage);
      "PLAINTE MASQUE <texte>" does the same with the number hidden from the handlers;
      "SUIVI <référence>" answers with the status of a complaint.
USSD: "Déposer une plainte": domain → category → region → text → hide my number? → confirm;
      "Suivre ma plainte": reference → status.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import Region
from guichet.complaints import references, selectors, services
from guichet.complaints.models import Category, Complaint
from guichet.notifications.channels import (
    InvalidInput,
    UssdReply,
    sms_command,
    split_keyword,
    ussd_menu,
)
from guichet.throttling import RateLimited, check_rate

SMS_CATEGORY = getattr(settings, "COMPLAINTS_SMS_CATEGORY", "autre")
USSD_PREVIEW = 60
# "PLAINTE MASQUE …": the first word after the keyword, in any case and with or without accents
# (MASQUE, masqué, Masquée, MASQUER), asks for the number to be hidden from the handlers.
HIDE_WORDS = {"MASQUE", "MASQUEE", "MASQUER", "MASQUES", "MASQUEES"}


def split_hide_request(text: str) -> tuple[bool, str]:
    """(hide the number?, the complaint's text) for what follows PLAINTE in an SMS."""
    first, rest = split_keyword(text)
    if first in HIDE_WORDS:
        return True, rest
    return False, (text or "").strip()


def _first_error(error: ValidationError) -> str:
    return error.messages[0] if error.messages else _("Demande invalide.")


def _status_line(complaint: Complaint) -> str:
    line = _("Plainte %(reference)s : %(status)s.") % {
        "reference": complaint.display_reference,
        "status": complaint.case.get_status_display(),
    }
    if complaint.case.is_open and complaint.case.due_at:
        line += " " + _("Réponse attendue avant le %(date)s.") % {
            "date": timezone.localtime(complaint.case.due_at).strftime("%d/%m/%Y")
        }
        if complaint.case.deadline_notice:
            line += " " + complaint.case.deadline_notice
    return line


def _lookup(phone: str, raw: str) -> Complaint | None:
    # Guessing references over SMS/USSD is as limited as on the web.
    check_rate("complaints.lookup.phone", phone, 30, 3600)
    # The reference is the first ten letters and digits typed, so that it may be followed by
    # other words (« SUIVI ABCDE-FGHJK merci »); read once, one query.
    return selectors.by_reference("".join(ch for ch in raw if ch.isalnum())[: references.LENGTH])


# The glossary's word for « plainte » (docs/translations.md), so that a citizen may file in the
# language they write: the reply comes in that language.
@sms_command("KAATIYA", language="dje")
@sms_command("KOKE", language="ha")
@sms_command("PLAINTE")
def complaint_by_sms(phone: str, text: str) -> str:
    hide_identity, text = split_hide_request(text)
    if not text:
        return _(
            "Pour déposer une plainte, envoyez : PLAINTE suivi de la description du problème. "
            "Pour cacher votre numéro aux agents : PLAINTE MASQUE suivi de la description."
        )
    category = Category.objects.filter(code=SMS_CATEGORY, is_active=True).first()
    if category is None:
        return _("Le dépôt de plainte par SMS n'est pas disponible. Utilisez le site web.")
    try:
        filed = services.file_complaint(
            category=category,
            description=text,
            channel=Complaint.Channel.SMS,
            phone=phone,
            hide_identity=hide_identity,
            notify_receipt=False,  # the reply to this SMS carries the reference
            # The language of the reply (the keyword's, else the citizen's): each later SMS on
            # the complaint is written in it too.
            language=translation.get_language() or "fr",
        )
    except RateLimited as limited:
        return str(limited)
    except ValidationError as invalid:
        return _first_error(invalid)
    if filed.duplicate:
        return _(
            "Plainte déjà reçue aujourd'hui. Référence : %(reference)s. Suivi : SUIVI %(reference)s"
        ) % {"reference": filed.complaint.display_reference}
    return _(
        "Plainte enregistrée. Référence : %(reference)s. Gardez-la. "
        "Vous recevrez un SMS à chaque étape. Suivi : SUIVI %(reference)s"
    ) % {"reference": filed.complaint.display_reference}


# « SUIVI » alone: the phone's own latest complaints, as many as fit in about two SMS.
SMS_OWN_COMPLAINTS = 3


@sms_command("SUIVI")
def follow_by_sms(phone: str, text: str) -> str:
    if not any(ch.isalnum() for ch in text):
        # The network, not the text, says who is texting (as for CASIER): the phone that filed
        # them is told its own complaints, by a citizen who may have lost the reference.
        own = selectors.latest_of_phone(phone, SMS_OWN_COMPLAINTS)
        if not own:
            return _(
                "Envoyez SUIVI suivi de la référence reçue lors du dépôt (ex. SUIVI ABCDE-FGHJK)."
            )
        return " ".join(_status_line(complaint) for complaint in own)
    try:
        complaint = _lookup(phone, text)
    except RateLimited as limited:
        return str(limited)
    if complaint is None:
        return _("Référence inconnue. Vérifiez les 10 caractères reçus lors du dépôt.")
    return _status_line(complaint)


def _groups() -> list[Category]:
    """One category per domain, in display order: its `group` is the domain, and it carries the
    domain's translations."""
    first = {}
    for category in Category.objects.filter(is_active=True).order_by("order", "group"):
        first.setdefault(category.group, category)
    return list(first.values())


def _choice(answer: str, options: list, message) -> object:
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    raise InvalidInput(str(message))


def _numbered(title: str, labels: list[str]) -> str:
    return title + "".join(f"\n{number}. {label}" for number, label in enumerate(labels, 1))


@ussd_menu("plainte", gettext_lazy("Déposer une plainte"), order=10)
def complaint_by_ussd(session, inputs: list[str]) -> UssdReply:
    groups = _groups()
    if not groups:
        return UssdReply(_("Aucune catégorie de plainte n'est ouverte."), end=True)
    if not inputs:
        return UssdReply(
            _numbered(_("Plainte - domaine :"), [g.translated("group") for g in groups])
        )
    group = _choice(inputs[0], groups, _("Choisissez un numéro de la liste.")).group
    categories = list(Category.objects.filter(is_active=True, group=group))
    if len(inputs) == 1:
        return UssdReply(_numbered(_("Objet :"), [c.translated("name") for c in categories]))
    category = _choice(inputs[1], categories, _("Choisissez un numéro de la liste."))
    regions = list(Region.objects.order_by("name"))
    if len(inputs) == 2:
        return UssdReply(_numbered(_("Région :"), [r.name for r in regions]))
    region = _choice(inputs[2], regions, _("Choisissez un numéro de la liste."))
    if len(inputs) == 3:
        return UssdReply(_("Décrivez le problème :"))
    description = inputs[3].strip()
    if len(description) < services.MIN_DESCRIPTION:
        raise InvalidInput(_("Trop court : décrivez le problème en quelques mots."))
    if len(inputs) == 4:
        # The web form's « masquer mon identité »: the handlers will not see the number, the
        # platform still texts every change of status to it.
        return UssdReply(_("Masquer mon numéro aux agents ?\n1. Oui\n2. Non"))
    if inputs[4] not in ("1", "2"):
        raise InvalidInput(_("Répondez 1 pour masquer votre numéro ou 2 pour le laisser visible."))
    hide_identity = inputs[4] == "1"
    if len(inputs) == 5:
        preview = description if len(description) <= USSD_PREVIEW else description[:59] + "…"
        return UssdReply(
            _("Envoyer cette plainte ?\n« %(text)s »\n1. Oui\n2. Non") % {"text": preview}
        )
    if inputs[5] == "2":
        return UssdReply(_("Plainte annulée."), end=True)
    if inputs[5] != "1":
        raise InvalidInput(_("Répondez 1 pour envoyer ou 2 pour annuler."))
    try:
        filed = services.file_complaint(
            category=category,
            description=description,
            region=region,
            channel=Complaint.Channel.USSD,
            phone=session.phone_number,
            hide_identity=hide_identity,
        )
    except RateLimited as limited:
        return UssdReply(str(limited), end=True)
    except ValidationError as invalid:
        return UssdReply(_first_error(invalid), end=True)
    return UssdReply(
        _("Plainte enregistrée.\nRéférence : %(reference)s\nVous la recevrez aussi par SMS.")
        % {"reference": filed.complaint.display_reference},
        end=True,
    )


@ussd_menu("suivi_plainte", gettext_lazy("Suivre ma plainte"), order=11)
def follow_by_ussd(session, inputs: list[str]) -> UssdReply:
    # The phone's own complaints to choose from, as SMS « SUIVI » alone gives them; a reference
    # may still be typed (it is never a number of the list: ten characters).
    own = selectors.latest_of_phone(session.phone_number, SMS_OWN_COMPLAINTS)
    if not inputs:
        if own:
            return UssdReply(
                _numbered(
                    _("Vos plaintes (ou entrez une référence) :"),
                    [complaint.display_reference for complaint in own],
                )
            )
        return UssdReply(_("Entrez la référence de votre plainte (10 caractères) :"))
    answer = inputs[0].strip()
    if own and answer.isdigit() and 1 <= int(answer) <= len(own):
        return UssdReply(_status_line(own[int(answer) - 1]), end=True)
    try:
        complaint = _lookup(session.phone_number, inputs[0])
    except RateLimited as limited:
        return UssdReply(str(limited), end=True)
    if complaint is None:
        raise InvalidInput(_("Référence inconnue."))
    return UssdReply(_status_line(complaint), end=True)
