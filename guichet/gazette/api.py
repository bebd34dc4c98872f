"""REST API of the Official Journal (DRF, documented by drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from guichet.gazette import search
from guichet.gazette.serializers import (
    MAX_OFFSET,
    SearchHitSerializer,
    SearchQuerySerializer,
    SearchResponseSerializer,
)


@extend_schema(
    operation_id="gazette_search",
    summary="Recherche plein texte dans le Journal officiel",
    description=(
        "Recherche en français : accents ignorés, formes des mots rapprochées (racinisation "
        "Snowball), phrases exactes entre guillemets. Un numéro (« 2019-33 ») renvoie le texte "
        "qui le porte."
    ),
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description='Mots ou "phrase exacte"'),
        OpenApiParameter("type", OpenApiTypes.STR, description="loi, ordonnance, decret, arrete…"),
        OpenApiParameter("authority", OpenApiTypes.STR, description="Code : PRN, PM, MJ…"),
        OpenApiParameter("from", OpenApiTypes.DATE, description="Signé à partir du"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Signé jusqu'au"),
        OpenApiParameter("status", OpenApiTypes.STR, enum=["in_force", "repealed"]),
        OpenApiParameter("sort", OpenApiTypes.STR, enum=["relevance", "date"]),
        # The bounds SearchQuerySerializer enforces, so that a client knows them beforehand.
        OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
        OpenApiParameter(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        ),
    ],
    responses={
        200: SearchResponseSerializer,
        400: OpenApiResponse(description="Paramètre invalide : le message nomme lequel."),
    },
)
@api_view(["GET"])
@permission_classes([AllowAny])
def search_texts(request):
    query = SearchQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    results = search.search(
        data.get("q", ""),
        search.Filters(
            doctype=data.get("type", ""),
            authority=data.get("authority", ""),
            date_from=data.get("from"),
            date_to=data.get("to"),
            status=data.get("status", ""),
        ),
        sort=data.get("sort") or "relevance",
        limit=data["limit"],
        offset=data["offset"],
    )
    hits = [{**hit.__dict__, "date": hit.date} for hit in results.hits]
    return Response(
        {
            "count": results.count,
            "capped": results.capped,
            "suggestion": results.suggestion,
            "results": SearchHitSerializer(hits, many=True).data,
        }
    )
