"""Deploy checks (`manage.py check --deploy`): development adapters must not run in production
unnoticed (issue 9)."""

from django.core.checks import Info, Warning


def sms_gateway_check(app_configs=None, **kwargs):
    from guichet.notifications.gateways import console_gateway_problem

    problem = console_gateway_problem()
    if problem == "defaulted":
        return [
            Warning(
                "The SMS gateway is the development console, by default: with DEBUG off it "
                "refuses to send (no SMS would reach anyone while messages were marked delivered).",
                hint="Set GUICHET_SMS_GATEWAY=kannel (or a gateway class); set "
                "GUICHET_SMS_GATEWAY=console only on purpose, on a machine that sends no real SMS.",
                id="guichet.W001",
            )
        ]
    if problem == "chosen":
        return [
            Info(
                "GUICHET_SMS_GATEWAY=console: SMS are logged, not sent.",
                id="guichet.I001",
            )
        ]
    return []


def signing_authority_check(app_configs=None, **kwargs):
    from guichet.signing.authority import test_authority_in_production

    if test_authority_in_production():
        return [
            Warning(
                "Documents are signed by the generated test certificate authority "
                "(GUICHET_SIGNING_TEST_AUTHORITY) while DEBUG is off: their signatures prove "
                "nothing.",
                hint="Configure the signers' keys and certificates (docs/criminal_records.md) "
                "and unset GUICHET_SIGNING_TEST_AUTHORITY.",
                id="guichet.W002",
            )
        ]
    return []


def timestamp_authority_check(app_configs=None, **kwargs):
    from guichet.signing.timestamping import development_tsa_in_production

    if development_tsa_in_production():
        return [
            Warning(
                "No RFC 3161 time-stamping authority is configured (GUICHET_TSA_URL) while DEBUG "
                "is off: signatures are timestamped by the development TSA, whose timestamps "
                "prove nothing, or cannot be made at all.",
                hint="Set GUICHET_TSA_URL to the time-stamping authority's RFC 3161 endpoint "
                "(docs/gazette.md, « Signatures à long terme »).",
                id="guichet.W003",
            )
        ]
    return []
