"""What an answer means for the permission matrix: allowed, sent to sign in, refused, not found."""

from urllib.parse import urlsplit

ALLOWED = "allowed"
SIGN_IN = "sign-in"
FORBIDDEN = "403"
NOT_FOUND = "404"

# Where a user who must (re)authenticate is sent: the citizen's phone sign-in, the agent's
# sign-in or second-factor step, the admin site's login.
SIGN_IN_PATHS = ("/connexion/", "/agents/connexion/", "/agents/verification/", "/admin/login/")


def outcome(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target.startswith(SIGN_IN_PATHS):
            return SIGN_IN
        return ALLOWED
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    return ALLOWED
