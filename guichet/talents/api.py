"""Public, read-only REST API of the EIG programme: promotions, accepted challenges, teams.

Nothing personal leaves here: no candidate data, no application, no internal note, no draft or
declined challenge, no ANSI review note. Lists are paginated (limit ≤ MAX_LIMIT); a bad query
parameter is a 400 with a French message.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from guichet.query_params import MAX_DATABASE_INTEGER, ascii_digits
from guichet.talents import selectors
from guichet.talents.models import Challenge, Member, ProgressNote, Promotion

MAX_LIMIT = 100


class BoundedPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw in (None, ""):
            return super().get_limit(request)
        # ASCII digits only: « ² » passes str.isdigit(), then int() refuses it and DRF silently
        # serves the default limit.
        digits = raw.lstrip("0") if ascii_digits(raw) else ""
        if not digits:
            raise ValidationError({"limit": _("« limit » doit être un entier positif.")})
        # Past max_limit, however many digits (int() refuses past 4,300), is max_limit.
        if len(digits) > len(str(self.max_limit)):
            return self.max_limit
        return min(int(digits), self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw not in (None, "") and not ascii_digits(raw):
            raise ValidationError({"offset": _("« offset » doit être un entier positif ou nul.")})
        return super().get_offset(request)


class PromotionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Promotion
        fields = [
            "slug",
            "name",
            "description",
            "call_opens_at",
            "call_closes_at",
            "interviews_from",
            "interviews_until",
            "starts_on",
            "ends_on",
            "max_choices",
        ]


class ChallengeSerializer(serializers.ModelSerializer):
    promotion = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SerializerMethodField()
    profiles = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "slug",
            "title",
            "promotion",
            "organisation",
            "problem",
            "who_suffers",
            "data_and_systems",
            "expected_impact",
            "profiles",
            "mentor_name",
            "mentor_title",
            "location",
            "results",
        ]

    def get_organisation(self, challenge) -> dict:
        return {"code": challenge.organisation.code, "name": challenge.organisation.name}


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.public_name", read_only=True)

    class Meta:
        model = ProgressNote
        fields = ["body", "final_report", "author", "created_at"]


class TeamSerializer(serializers.ModelSerializer):
    challenge = ChallengeSerializer(read_only=True)
    members = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = ["challenge", "members", "notes"]

    def to_representation(self, challenge):
        return {
            "challenge": ChallengeSerializer(challenge).data,
            "members": self.get_members(challenge),
            "notes": self.get_notes(challenge),
        }

    def get_members(self, challenge) -> list[str]:
        return [m.public_name for m in challenge.members.all()]

    def get_notes(self, challenge) -> list[dict]:
        return NoteSerializer(selectors.public_notes(challenge), many=True).data


class QueryParams(serializers.Serializer):
    administration = serializers.SlugField(required=False, max_length=40)
    profile = serializers.SlugField(required=False, max_length=40)
    limit = serializers.IntegerField(required=False, min_value=1)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_DATABASE_INTEGER)


# The bounds QueryParams enforces; a limit past MAX_LIMIT is lowered to it (LimitOffsetPagination).
_PAGING = [
    OpenApiParameter("limit", {"type": "integer", "minimum": 1}, description=f"≤ {MAX_LIMIT}"),
    OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": MAX_DATABASE_INTEGER}),
]
# A code is a slug (QueryParams' SlugField); empty, it is not given (request_text's hook).
_CODE = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 40}
_BAD = OpenApiResponse(description="Paramètre invalide : le message nomme lequel.")


class _Public(generics.ListAPIView):
    pagination_class = BoundedPagination
    filter_fields: tuple = ()

    def query(self) -> dict:
        form = QueryParams(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        # A parameter given twice would be read as its last value: say which one is ambiguous.
        repeated = sorted(k for k, v in self.request.query_params.lists() if len(v) > 1)
        if repeated:
            raise ValidationError(
                {"detail": _("Paramètre donné plusieurs fois : %s.") % ", ".join(repeated)}
            )
        extra = set(self.request.query_params) - {"limit", "offset", *self.filter_fields}
        if extra:
            raise ValidationError(
                {"detail": _("Paramètre inconnu : %s.") % ", ".join(sorted(extra))}
            )
        return form.validated_data


@extend_schema_view(
    get=extend_schema(
        operation_id="talents_promotions",
        summary="Promotions du programme EIG et leur calendrier",
        parameters=_PAGING,
        responses={200: PromotionSerializer(many=True), 400: _BAD},
    )
)
class PromotionList(_Public):
    serializer_class = PromotionSerializer

    def get_queryset(self):
        self.query()
        return Promotion.objects.order_by("-call_opens_at", "pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="talents_challenges",
        summary="Défis retenus d'une promotion",
        parameters=[
            OpenApiParameter("administration", _CODE, description="Code : PRN, MJ…"),
            OpenApiParameter("profile", _CODE, description="Code du profil recherché"),
            *_PAGING,
        ],
        responses={200: ChallengeSerializer(many=True), 400: _BAD, 404: None},
    )
)
class ChallengeList(_Public):
    serializer_class = ChallengeSerializer
    filter_fields = ("administration", "profile")

    def get_queryset(self):
        data = self.query()
        promotion = get_object_or_404(Promotion, slug=self.kwargs["slug"])
        return selectors.public_challenges(
            promotion,
            organisation_code=data.get("administration", ""),
            profile_code=data.get("profile", ""),
        ).order_by("title", "pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="talents_teams",
        summary="Équipes d'une promotion : défi, membres, notes publiques et résultats",
        parameters=_PAGING,
        responses={200: TeamSerializer(many=True), 400: _BAD, 404: None},
    )
)
class TeamList(_Public):
    serializer_class = TeamSerializer

    def get_queryset(self):
        self.query()
        promotion = get_object_or_404(Promotion, slug=self.kwargs["slug"])
        members = Member.objects.filter(promotion=promotion).values("challenge")
        return (
            selectors.public_challenges(promotion)
            .filter(pk__in=members)
            .prefetch_related("members")
            .order_by("title", "pk")
        )
