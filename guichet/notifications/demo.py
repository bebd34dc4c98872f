"""Nothing to create: the SMS and USSD channels are tried from the simulator page."""

from django.conf import settings


def load(out) -> None:
    out(
        f"SMS / USSD : simulateur sur {settings.SITE_URL}/sms/simulateur ; passerelle de "
        f"développement « {settings.SMS_GATEWAY} » (les SMS envoyés s'affichent dans cette console)."
    )
