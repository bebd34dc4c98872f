"""The public services' own settings: fees paid by mobile money (payments), the complaints'
Open311 endpoint, and transit (SMS keywords, GTFS import limits, compiled timetables)."""

import os

from guichet.settings.environment import DEBUG, TESTING, VAR_DIR, env_bool, env_list

# --- Payments of fees (guichet/payments, issue 10) ---
# "simulator" (development: our own payment page, signed callbacks) or "cinetpay".
PAYMENT_PROVIDER = os.environ.get("GUICHET_PAYMENT_PROVIDER", "simulator")
PAYMENT_SIMULATOR_ENABLED = env_bool("GUICHET_PAYMENT_SIMULATOR", DEBUG or TESTING)
CINETPAY = {
    "api_url": os.environ.get("GUICHET_CINETPAY_API_URL", "https://api-checkout.cinetpay.com"),
    "site_id": os.environ.get("GUICHET_CINETPAY_SITE_ID", ""),
    "api_key": os.environ.get("GUICHET_CINETPAY_API_KEY", ""),
    "secret_key": os.environ.get("GUICHET_CINETPAY_SECRET_KEY", ""),
}

# Open311 GeoReport v2 (docs/complaints.md): discovery's contact and how to get an API key
# (human-readable text or a URL), and the jurisdiction_id this endpoint answers for (empty: any).
OPEN311_CONTACT = os.environ.get(
    "GUICHET_OPEN311_CONTACT", "Médiateur de la République — open311@mediateur.gouv.ne"
)
OPEN311_KEY_SERVICE = os.environ.get(
    "GUICHET_OPEN311_KEY_SERVICE",
    "Demandez une clé API au Médiateur de la République (open311@mediateur.gouv.ne) : nom de "
    "l'application, organisation, contact technique.",
)
OPEN311_JURISDICTION = os.environ.get("GUICHET_OPEN311_JURISDICTION", "")

# -- Transit (guichet.transit, docs/transit.md) ------------------------------------------------
# Network answering SMS « BUS … » and the USSD menu; other keywords for other networks:
# GUICHET_TRANSIT_SMS_KEYWORDS="METRO=nyc-subway,TROTRO=accra".
TRANSIT_SMS_FEED = os.environ.get("GUICHET_TRANSIT_SMS_FEED", "")
TRANSIT_SMS_KEYWORDS = {
    key.strip().upper(): value.strip()
    for key, _, value in (item.partition("=") for item in env_list("GUICHET_TRANSIT_SMS_KEYWORDS"))
    if key.strip() and value.strip()
}
# Zip bombs: an imported GTFS archive may unpack to at most this, each file compressed at most
# this many times.
TRANSIT_GTFS_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("GUICHET_TRANSIT_GTFS_MAX_BYTES", str(512 * 1024 * 1024))
)
TRANSIT_GTFS_MAX_RATIO = int(os.environ.get("GUICHET_TRANSIT_GTFS_MAX_RATIO", "100"))
# Compiled timetables (numpy arrays, memory-mapped by every worker), one folder per feed version;
# empty: none stored (tests).
TRANSIT_TIMETABLE_DIR = os.environ.get(
    "GUICHET_TRANSIT_TIMETABLE_DIR", "" if TESTING else str(VAR_DIR / "transit-timetables")
)
# Load the planner's compiled kernels in a background thread when a process starts.
TRANSIT_WARM_ON_START = env_bool("GUICHET_TRANSIT_WARM_ON_START", not (DEBUG or TESTING))
