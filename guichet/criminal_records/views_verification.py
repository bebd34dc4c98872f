"""Anyone checks an extract: by the code printed on it, or by uploading the PDF (its signature,
and that we issued it). Rate-limited per client, in one bucket with the API's check (api.py).
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import uploads
from guichet.criminal_records import selectors, services
from guichet.criminal_records.forms import VerifyCodeForm, VerifyUploadForm
from guichet.criminal_records.models import IssuedBulletin
from guichet.criminal_records.verification_codes import candidates as typed_code_candidates
from guichet.throttling import RateLimited, check_rate, client_ip

VERIFY_LIMIT_PER_HOUR = 30


def _verify_throttle(request) -> str | None:
    try:
        check_rate("casier-verify", client_ip(request) or "?", VERIFY_LIMIT_PER_HOUR, 3600)
    except RateLimited as exc:
        return str(exc)
    return None


@require_http_methods(["GET", "POST"])
def verify(request):
    """Check a code typed in, or an uploaded PDF (its signature, and that we issued it)."""
    code_form = VerifyCodeForm(request.GET or None)
    upload_form = VerifyUploadForm()
    context = {"code_form": code_form, "upload_form": upload_form}
    if request.method == "GET" and code_form.is_valid():
        forms = typed_code_candidates(code_form.cleaned_data["code"])
        if forms:
            return redirect("criminal_records:verify_code", code=forms[0])
        code_form.add_error(
            "code",
            _(
                "Un code de vérification ne contient que des lettres et des chiffres (tirets permis)."
            ),
        )
    if request.method == "POST":
        upload_form = VerifyUploadForm(
            request.POST, request.FILES, upload_owner=uploads.upload_owner(request)
        )
        context["upload_form"] = upload_form
        limited = _verify_throttle(request)
        if limited:
            context["limited"] = limited
            return render(request, "criminal_records/verify.html", context, status=429)
        if upload_form.is_valid():
            import hashlib

            from guichet.signing import verify_pdf

            data = upload_form.cleaned_data["document"].read(services.MAX_UPLOAD_BYTES + 1)
            result = verify_pdf(data)
            bulletin = None
            if result.authentic:
                bulletin = IssuedBulletin.objects.filter(
                    sha256=hashlib.sha256(data).hexdigest()
                ).first()
            context |= {"result": result, "bulletin": bulletin, "checked_upload": True}
    return render(request, "criminal_records/verify.html", context)


def verify_code(request, code: str):
    limited = _verify_throttle(request)
    if limited:
        return render(
            request,
            "criminal_records/verify.html",
            {"limited": limited, "code_form": VerifyCodeForm(), "upload_form": VerifyUploadForm()},
            status=429,
        )
    bulletin = selectors.bulletin_by_code(code)
    return render(
        request,
        "criminal_records/verify_code.html",
        {"bulletin": bulletin, "code": code},
        status=(410 if bulletin.revoked_at else 200) if bulletin else 404,
    )
