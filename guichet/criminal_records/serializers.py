from django.utils import timezone
from rest_framework import serializers

from guichet.criminal_records.models import BulletinRequest


class BulletinSummarySerializer(serializers.Serializer):
    """All a verifier learns: authenticity, type, date, issuing court and name — nothing more."""

    kind = serializers.IntegerField(help_text="1, 2 ou 3")
    kind_label = serializers.CharField()
    issued_on = serializers.DateField()
    court = serializers.CharField()
    person_name = serializers.CharField()
    revoked_on = serializers.DateField(
        allow_null=True, help_text="Date de révocation par la juridiction : l'extrait ne vaut plus."
    )


class CodeVerificationSerializer(serializers.Serializer):
    authentic = serializers.BooleanField()
    bulletin = BulletinSummarySerializer(allow_null=True)
    detail = serializers.CharField(allow_blank=True)


class UploadSerializer(serializers.Serializer):
    document = serializers.FileField(help_text="Le PDF de l'extrait")


class FileVerificationSerializer(serializers.Serializer):
    authentic = serializers.BooleanField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    covers_whole_file = serializers.BooleanField()
    signer_name = serializers.CharField(allow_blank=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    problem = serializers.CharField(allow_blank=True)
    bulletin = BulletinSummarySerializer(allow_null=True)


class RequestStatusSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.CharField(source="get_kind_display")
    court = serializers.CharField(source="court.name")
    bulletin_code = serializers.SerializerMethodField()

    class Meta:
        model = BulletinRequest
        fields = [
            "reference",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "court",
            "fee_amount",
            "payment_checked",
            "clerk_note",
            "created_at",
            "bulletin_code",
        ]

    def get_bulletin_code(self, obj) -> str | None:
        bulletin = getattr(obj, "bulletin", None) if obj.status == "issued" else None
        return bulletin.code if bulletin else None


def bulletin_summary(bulletin) -> dict | None:
    if bulletin is None:
        return None
    return {
        "kind": bulletin.kind,
        "kind_label": bulletin.get_kind_display(),
        "issued_on": bulletin.issued_on,
        "court": bulletin.court.name,
        "person_name": bulletin.person_name,
        "revoked_on": timezone.localdate(bulletin.revoked_at) if bulletin.revoked_at else None,
    }
