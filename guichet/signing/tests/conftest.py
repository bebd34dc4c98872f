import pytest


@pytest.fixture(autouse=True)
def _own_pki(settings, tmp_path):
    """Each test signs with a test authority of its own, in its temporary folder, and no TSA URL
    (the local development TSA)."""
    settings.SIGNING_DIR = tmp_path / "pki"
    settings.SIGNING_ALLOW_TEST_AUTHORITY = True
    settings.SIGNING_SIGNERS = {}
    settings.SIGNING_TRUST_ROOTS = []
    settings.SIGNING_CRLS = []
    settings.SIGNING_TSA_URL = ""
