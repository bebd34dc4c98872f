"""Test data for the Official Journal: texts published through the real services."""

import datetime

from guichet.accounts.models import User
from guichet.gazette import publication, services
from guichet.gazette.content import PartInput
from tests.shared_rows import new_agent

D = datetime.date
EDITOR = "editeur.jo"


def editor_account() -> User:
    """The Journal's editor: the one rows shared by a module were written by, or a new one."""
    return User.objects.filter(username=EDITOR).first() or new_agent(
        EDITOR, "gazette_editor", "SGG-JO"
    )


def articles(*texts: str) -> list[PartInput]:
    return [
        PartInput(kind="article", num=str(index), text=text)
        for index, text in enumerate(texts, start=1)
    ]


def draft(actor, reference: tuple[str, str, datetime.date], title: str, parts=None):
    doctype, number, signed_on = reference
    return services.create_text(
        actor=actor,
        doctype=doctype,
        number=number,
        signed_on=signed_on,
        title=title,
        parts=parts if parts is not None else articles("La présente loi entre en vigueur."),
    )


def ready(actor, work):
    for relation in work.relations_out.filter(detected=True, confirmed=False):
        services.review_citation(relation, accept=True, actor=actor)
    services.advance(work, "review", actor=actor)
    return services.advance(work, "sign", actor=actor)


def publish(actor, works, day: datetime.date, special: bool = False):
    issue = publication.create_issue(actor=actor, date=day, special=special)
    for work in works:
        ready(actor, work)
        publication.schedule(work, issue, actor=actor)
    return publication.publish_issue(issue, actor=actor)
