"""The search index of published texts: each text's search row (`index_work`), the vocabulary
of the index (typo tolerance), and the daily refresh of « in force » (`refresh_in_force_status`).
The queries that read it are in `search`.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from guichet.gazette import search, selectors
from guichet.gazette.models import (
    Part,
    SearchEntry,
    SearchTerm,
    SearchVocabulary,
    SearchWord,
    Work,
)


def search_body(parts) -> str:
    """The text a search row holds: each part in force, « Article 5 heading text » (PartInput or
    stored Part)."""
    labels = dict(Part._meta.get_field("kind").choices)
    return "\n".join(
        " ".join(
            x
            for x in (
                part.num and f"{labels.get(part.kind, part.kind)} {part.num}",
                part.heading,
                part.text,
            )
            if x
        )
        for part in parts
        if not part.repealed
    )


def index_work(work: Work, *, today: datetime.date | None = None) -> SearchEntry | None:
    """(Re)write the search row of a published text from its latest expression."""
    if not work.is_published:
        return None
    expression = work.expressions.order_by("-date").first()
    body = search_body(expression.parts.all())
    repealed_on = selectors.repealed_on(work)
    title = f"{work.get_doctype_display()} {work.title}"
    analysed = search.analysis(title, body)
    remember_vocabulary(analysed.vocabulary, analysed.forms)
    entry, _created = SearchEntry.objects.update_or_create(
        work=work,
        defaults={
            "doctype": work.doctype,
            "number_normalized": work.number_normalized,
            "authority_code": work.authority.code if work.authority else "",
            "signed_on": work.signed_on,
            "title": work.title,
            "body": body,
            "stem_title": analysed.stem_title,
            "stem_body": analysed.stem_body,
            "word_forms": analysed.word_forms,
            "in_force": repealed_on is None or repealed_on > (today or timezone.localdate()),
            "repealed_on": repealed_on,
        },
    )
    return entry


def remember_vocabulary(
    words: dict[str, str], forms: dict[str, tuple[str, str]], counts: dict[str, int] | None = None
) -> None:
    """Add the tokens (`search.vocabulary`) and word forms (`search.word_forms`) of indexed texts
    to the index's vocabulary (typo tolerance, « vouliez-vous dire »). `counts`: in how many of
    those texts each form occurs (1 each when absent: one text). Three queries whatever the size."""
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(token=token, word=word) for token, word in words.items()],
            ignore_conflicts=True,
            batch_size=1000,
        )
    if not forms:
        return
    counts = counts or {}
    known = set()
    names = list(forms)
    for start in range(0, len(names), 900):
        chunk = names[start : start + 900]
        known.update(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
    new = [
        SearchWord(word=w, token=t, spelling=sp, frequency=counts.get(w, 1))
        for w, (t, sp) in forms.items()
        if w not in known
    ]
    if new:
        SearchWord.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    by_count: dict[int, list[str]] = {}
    for word in known:
        by_count.setdefault(counts.get(word, 1), []).append(word)
    for count, group in by_count.items():
        for start in range(0, len(group), 900):
            SearchWord.objects.filter(word__in=group[start : start + 900]).update(
                frequency=F("frequency") + count
            )
    if new:
        _new_vocabulary_version()


def _new_vocabulary_version() -> None:
    """A new version every time (not a counter): a rolled-back transaction cannot bring back a
    version that other words were indexed under. Written after the vocabulary's rows, so the row
    lock it takes is the vocabulary's last (docs/architecture.md, lock order)."""
    version = uuid.uuid4().hex
    if not SearchVocabulary.objects.filter(pk=SearchVocabulary.ONLY).update(version=version):
        SearchVocabulary.objects.get_or_create(
            pk=SearchVocabulary.ONLY, defaults={"version": version}
        )


def refresh_in_force_status(today: datetime.date | None = None) -> int:
    """Re-index the texts whose repeal has taken effect since they were indexed.

    "In force" is written into the search index when a text or its repealing text is published; a
    repeal with a later effective date only takes effect on that day. Run daily (Celery beat
    `gazette.refresh_in_force_status`, or `manage.py refresh_gazette_status`). Returns the count.
    """
    today = today or timezone.localdate()
    stale = SearchEntry.objects.filter(in_force=True, repealed_on__lte=today).select_related("work")
    count = 0
    for entry in stale:
        with transaction.atomic():
            index_work(entry.work, today=today)
        count += 1
    return count
