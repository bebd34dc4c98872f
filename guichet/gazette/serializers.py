"""JSON shapes of the Official Journal: a text's record (with ELI-style relations), search hits."""

from rest_framework import serializers

from guichet.gazette import selectors


def _link(relation, other) -> dict:
    return {
        "uri": other.frbr_uri,
        "label": other.label,
        "article": relation.target_eid or None,
        "effective_on": relation.effective_on.isoformat() if relation.effective_on else None,
    }


_READ = object()


def work_record(
    work, expression, parts, *, expressions=None, repealed_on=_READ, links=None
) -> dict:
    """A text as JSON: FRBR identifiers, metadata, ELI relations, the version's content.

    `expressions`, `repealed_on` and `links` are read per text unless given (already read in bulk:
    `selectors.texts_for_export`).
    """
    entry = getattr(work, "issue_entry", None)
    if repealed_on is _READ:
        repealed_on = selectors.repealed_on(work)
    if expressions is None:
        expressions = selectors.expressions_of(work)
    if links is None:
        links = selectors.links_of(work)
    relations = {}
    for name, items in links.items():
        relations[name] = [
            _link(r, r.target if r.subject_id == work.pk else r.subject) for r in items
        ]
    return {
        "uri": work.frbr_uri,
        "expression_uri": expression.frbr_uri,
        "language": "fra",
        "type": work.doctype,
        "type_label": work.get_doctype_display(),
        "number": work.number,
        "number_normalized": work.number_normalized,
        "date": work.signed_on.isoformat(),
        "authority": work.authority.code if work.authority else None,
        "title": work.title,
        "label": work.label,
        "published_on": work.published_on.isoformat() if work.published_on else None,
        "in_force": repealed_on is None,
        "repealed_on": repealed_on.isoformat() if repealed_on else None,
        "issue": (
            {
                "number": entry.issue.number,
                "special": entry.issue.special,
                "date": entry.issue.date.isoformat(),
                "pages": [entry.page_start, entry.page_end],
                "sha256": entry.issue.sha256,
            }
            if entry
            else None
        ),
        "expression_date": expression.date.isoformat(),
        "expressions": [
            {
                "date": e.date.isoformat(),
                "uri": e.frbr_uri,
                "amended_by": e.amended_by.frbr_uri if e.amended_by_id else None,
            }
            for e in expressions
        ],
        "relations": relations,
        "content": [
            {
                "eid": p.eid,
                "kind": p.kind,
                "num": p.num,
                "heading": p.heading,
                "text": p.text,
                "repealed": p.repealed,
            }
            for p in parts
        ],
    }


class SearchHitSerializer(serializers.Serializer):
    uri = serializers.CharField()
    type = serializers.CharField(source="doctype")
    number = serializers.CharField()
    date = serializers.DateField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML : mots trouvés entre <mark> et </mark>")
    in_force = serializers.BooleanField()


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Nombre exact jusqu'à 1 000 ; 1 000 au-delà")
    capped = serializers.BooleanField(help_text="Vrai quand il y a plus de 1 000 résultats")
    results = SearchHitSerializer(many=True)


# PostgreSQL's OFFSET takes a bigint: past it the search query itself fails (a 500).
MAX_OFFSET = 2**63 - 1


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    type = serializers.CharField(required=False, allow_blank=True)
    authority = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=["", "in_force", "repealed"], required=False)
    sort = serializers.ChoiceField(choices=["relevance", "date"], required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, default=0)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        # "from" and "to" are Python keywords: read them by hand.
        for key in ("from", "to"):
            raw = data.get(key)
            if raw:
                field = serializers.DateField()
                try:
                    values[key] = field.to_internal_value(raw)
                except serializers.ValidationError as error:
                    raise serializers.ValidationError({key: error.detail}) from None
        return values
