"""REST API of the criminal record: verification of extracts (public, rate-limited) and a
requester's view of their own requests."""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from guichet.accounts.permissions import two_factor_satisfied
from guichet.criminal_records import selectors, services
from guichet.criminal_records.models import IssuedBulletin
from guichet.criminal_records.serializers import (
    CodeVerificationSerializer,
    FileVerificationSerializer,
    RequestStatusSerializer,
    UploadSerializer,
    bulletin_summary,
)
from guichet.throttling import RateLimited, check_rate, client_ip

VERIFY_LIMIT_PER_HOUR = 30


def _throttle(request) -> None:
    try:
        check_rate("casier-verify", client_ip(request) or "?", VERIFY_LIMIT_PER_HOUR, 3600)
    except RateLimited as exc:
        raise Throttled(wait=exc.retry_after, detail=str(exc)) from exc


def revoked_detail(bulletin) -> str:
    return _(
        "Cet extrait a été révoqué le %(d)s par la juridiction qui l'avait délivré : il ne vaut "
        "plus. Demandez un extrait récent."
    ) % {"d": f"{timezone.localdate(bulletin.revoked_at):%d/%m/%Y}"}


@extend_schema(
    operation_id="criminal_records_verify_code",
    summary="Vérifier un extrait par son code",
    description="Authenticité, type, date, juridiction et nom — rien d'autre ; 410 si la "
    "juridiction a révoqué l'extrait. 30 vérifications par heure et par adresse IP.",
    responses={
        200: CodeVerificationSerializer,
        404: CodeVerificationSerializer,
        410: CodeVerificationSerializer,
        429: OpenApiResponse(description="Trop de vérifications"),
    },
)
@api_view(["GET"])
@permission_classes([AllowAny])
def verify_code(request, code: str):
    _throttle(request)
    bulletin = selectors.bulletin_by_code(code)
    revoked = bool(bulletin and bulletin.revoked_at)
    body = {
        "authentic": bulletin is not None and not revoked,
        "bulletin": bulletin_summary(bulletin),
        "detail": revoked_detail(bulletin) if revoked else "",
    }
    if revoked:
        return Response(CodeVerificationSerializer(body).data, status=status.HTTP_410_GONE)
    if bulletin is None:
        # The sentence of the verification page, in the requester's language.
        body["detail"] = _(
            "Aucun extrait ne correspond à ce code. Vérifiez la saisie : le document présenté "
            "n'est peut-être pas authentique."
        )
    return Response(
        CodeVerificationSerializer(body).data,
        status=status.HTTP_200_OK if bulletin else status.HTTP_404_NOT_FOUND,
    )


@extend_schema(
    operation_id="criminal_records_verify_file",
    summary="Vérifier le fichier PDF d'un extrait (signature PAdES)",
    request={"multipart/form-data": UploadSerializer},
    responses={
        200: FileVerificationSerializer,
        400: OpenApiResponse(description="Aucun fichier, ou fichier illisible."),
        429: OpenApiResponse(description="Trop de vérifications"),
    },
)
@api_view(["POST"])
@permission_classes([AllowAny])
@parser_classes([MultiPartParser, FormParser])
def verify_file(request):
    from guichet.signing import verify_pdf

    _throttle(request)
    upload = UploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    data = upload.validated_data["document"].read(services.MAX_UPLOAD_BYTES + 1)
    result = verify_pdf(data)
    bulletin = None
    if result.authentic:
        bulletin = (
            IssuedBulletin.objects.select_related("court")
            .filter(sha256=hashlib.sha256(data).hexdigest())
            .first()
        )
    body = result.__dict__ | {
        "problem": _(result.problem) if result.problem else "",  # a msgid of guichet.signing
        "bulletin": bulletin_summary(bulletin),
    }
    if bulletin is not None and bulletin.revoked_at:
        # The signature is intact, but the court withdrew the extract: it does not stand.
        body |= {"authentic": False, "problem": revoked_detail(bulletin)}
    return Response(FileVerificationSerializer(body).data)


@extend_schema(
    operation_id="criminal_records_my_requests",
    summary="Mes demandes de bulletin (citoyen ou agent demandeur)",
    responses={
        200: RequestStatusSerializer(many=True),
        401: OpenApiResponse(description="Connexion requise."),
        403: OpenApiResponse(description="Connexion requise, ou double authentification requise."),
    },
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def my_requests(request):
    if not request.user.is_citizen and not two_factor_satisfied(request):
        raise NotAuthenticated(_("Double authentification requise."))
    items = selectors.requests_of(request.user)[:100]
    return Response(RequestStatusSerializer(items, many=True).data)
