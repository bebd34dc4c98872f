"""Amendments: the article-level changes a text makes to others (replace, insert, repeal),
recorded while it is drafted and applied when it is published, as new expressions of the texts
they change.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.gazette.content import PartInput
from guichet.gazette.indexing import index_work
from guichet.gazette.models import Amendment, Expression, Part, Relation, Work
from guichet.gazette.services import GazetteError, _editable_or_signed


@transaction.atomic
def add_amendment(
    amending: Work,
    target: Work,
    *,
    actor,
    action: str,
    target_eid: str,
    num: str = "",
    heading: str = "",
    text: str = "",
    after_eid: str = "",
    effective_on: datetime.date | None = None,
    request=None,
) -> Amendment:
    """One article-level change the amending text makes; applied when it is published."""
    _editable_or_signed(amending)
    if action not in Amendment.Action.values:
        raise GazetteError(_("Action inconnue : %(action)s.") % {"action": action})
    if action in (Amendment.Action.REPLACE, Amendment.Action.INSERT) and not text.strip():
        raise GazetteError(_("Le nouveau texte de l'article est obligatoire."))
    latest = target.expressions.order_by("-date").first()
    exists = latest.parts.filter(eid=target_eid).exists() if latest else False
    if action != Amendment.Action.INSERT and not exists:
        raise GazetteError(
            _("L'article « %(eid)s » n'existe pas dans %(target)s.")
            % {"eid": target_eid, "target": target.label}
        )
    amendment = Amendment.objects.create(
        amending=amending,
        target=target,
        action=action,
        target_eid=target_eid,
        after_eid=after_eid,
        num=num,
        heading=heading,
        text=text,
        effective_on=effective_on,
    )
    kind = Relation.Kind.REPEALS if action == Amendment.Action.REPEAL else Relation.Kind.MODIFIES
    Relation.objects.get_or_create(
        subject=amending,
        kind=kind,
        target=target,
        target_eid=target_eid,
        defaults={"effective_on": effective_on},
    )
    record(
        audit_actions.Gazette.AMENDMENT_ADDED,
        actor=actor,
        target=amending,
        request=request,
        data={"target": target.frbr_uri, "eid": target_eid, "action": action},
    )
    return amendment


def _apply_amendments(amending: Work) -> None:
    """Make the new expressions of the texts `amending` changes, one per target and date."""
    pending = list(amending.amendments_made.filter(applied=False).order_by("id"))
    groups: dict[tuple[int, datetime.date], list[Amendment]] = {}
    for amendment in pending:
        day = amendment.effective_on or amending.published_on or amending.signed_on
        groups.setdefault((amendment.target_id, day), []).append(amendment)
    for (target_id, day), amendments in sorted(groups.items(), key=lambda item: item[0][1]):
        target = Work.objects.get(pk=target_id)
        later = target.expressions.filter(date__gt=day).exists()
        if later:
            raise GazetteError(
                _(
                    "%(target)s a déjà une version postérieure au %(day)s : modification rétroactive "
                    "à saisir à la main."
                )
                % {"target": target.label, "day": day}
            )
        base = target.expressions.filter(date__lte=day).order_by("-date").first()
        parts = [
            PartInput(
                kind=p.kind,
                num=p.num,
                heading=p.heading,
                text=p.text,
                eid=p.eid,
                depth=p.depth,
                repealed=p.repealed,
            )
            for p in base.parts.all()
        ]
        for amendment in amendments:
            _apply_one(parts, amendment)
        if target.expressions.filter(date=day).exists():
            raise GazetteError(
                _("%(target)s a déjà une version au %(day)s.")
                % {"target": target.label, "day": day}
            )
        expression = Expression.objects.create(
            work=target, date=day, is_original=False, amended_by=amending
        )
        Part.objects.bulk_create(
            [
                Part(
                    expression=expression,
                    order=i,
                    kind=p.kind,
                    depth=p.depth or 0,
                    eid=p.eid,
                    num=p.num,
                    heading=p.heading,
                    text=p.text,
                    repealed=p.repealed,
                )
                for i, p in enumerate(parts)
            ],
            batch_size=500,
        )
        Expression.objects.filter(pk=expression.pk).update(frozen=True)
        for amendment in amendments:
            amendment.applied = True
            amendment.save(update_fields=["applied"])
        index_work(target)


def _subtree_end(parts: list[PartInput], index: int) -> int:
    """The index just after the part at `index` and everything under it."""
    end = index + 1
    while end < len(parts) and (parts[end].depth or 0) > (parts[index].depth or 0):
        end += 1
    return end


def _apply_one(parts: list[PartInput], amendment: Amendment) -> None:
    """Replace, insert after or repeal one article of `parts` (in place)."""
    index = next((i for i, p in enumerate(parts) if p.eid == amendment.target_eid), None)
    if amendment.action == Amendment.Action.INSERT:
        after = next((i for i, p in enumerate(parts) if p.eid == amendment.after_eid), None)
        if after is None:
            articles = [i for i, p in enumerate(parts) if p.kind == "article"]
            after = articles[-1] if articles else len(parts) - 1
        anchor = parts[after] if parts else None
        if anchor is None:
            depth = 0
        elif anchor.kind == "article":
            depth = anchor.depth or 0
        else:  # after a heading: the first article under it
            depth = (anchor.depth or 0) + 1
        position = (
            _subtree_end(parts, after)
            if anchor is not None and anchor.kind == "article"
            else after + 1
        )
        parts.insert(
            position,
            PartInput(
                kind="article",
                num=amendment.num,
                heading=amendment.heading,
                text=amendment.text,
                eid=amendment.target_eid,
                depth=depth,
            ),
        )
    elif index is not None and amendment.action == Amendment.Action.REPLACE:
        part = parts[index]
        part.text = amendment.text
        part.heading = amendment.heading or part.heading
        part.repealed = False
        # The article's own paragraphs are replaced with it.
        del parts[index + 1 : _subtree_end(parts, index)]
    elif index is not None and amendment.action == Amendment.Action.REPEAL:
        parts[index].repealed = True
