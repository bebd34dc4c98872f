"""Every HTML page of the site, generated from the URL patterns and the permission matrix, with
the demo objects (`load_demo`) in the path: the list the browser checks walk (accessibility,
360-pixel screens).

Citizen pages are the patterns an anonymous visitor may open (tests/security/permissions_matrix.py:
"allowed", or "404" for an object page whose placeholder object does not exist). Agents' pages are
the patterns an agent role is allowed to GET and anonymous visitors are not. A new pattern lands in
one of the lists by itself; a new pattern with path parameters fails `pages()` until it gets a demo
object below, or is named in NOT_PAGES (it answers a file, a feed or JSON, not a page).
"""

import re
from dataclasses import dataclass

from guichet.criminal_records.demo import CITIZEN_PHONE
from tests.security.permissions_matrix import AGENT_ROLES, MATRIX, NAMESPACE_RULES
from tests.security.url_patterns import Pattern, fill, walk

# Patterns that answer no HTML page to GET (files, feeds, JSON, redirects after an action).
NOT_PAGES = {
    "healthz",
    "favicon",
    "set_language",
    "accounts:logout",
    "admin:logout",
    "api-transit-index",
    "api-schema",
    "open311-index",
    "notifications:ussd",
    "notifications:simulator",
    "payments:notify",
    "payments:simulator",
    "complaints:reply",
    "complaints:confirm",
    "complaints:reopen",
    "complaints:rate",
    "complaints:agent_export",
    "complaints:agent_photo",
    "complaints:agent_action",
    "correspondence:register_export",
    "correspondence:attachment",
    "correspondence:act",
    "criminal_records:bulletin_pdf",
    "criminal_records:clerk_request_certificate",
    "criminal_records:clerk_request_document",
    "gazette:issue_pdf",
    "gazette:feed",
    "gazette:feed_type",
    "gazette:feed_authority",
    "gazette:alert_cancel",
    "talents:verify_email",
    # POST-only actions (GET answers 405).
    "accounts:recovery_codes_renew",
    "criminal_records:pay_request",
    "talents:submit",
    "talents:withdraw",
    "talents:book_slot",
    "talents:resend_verification",
    "talents:export",
    "talents:interview_calendar",
    "transit:download",
}
NOT_PAGE_PREFIXES = ("api", "open311", "admin", "gazette:open_data_")
# Citizen pages that only a given citizen may open, with where they are tested instead.
MEMBERS_ONLY = {
    "talents:challenge_results": "a promotion team's page, for its members: talents/tests/test_results.py",
}


def demo_citizen():
    """The citizen the citizen pages are visited as: the demo's, whose identity the clerk verified
    (« Mes demandes » lists a request and who consulted the record), created if the demo is not
    loaded."""
    from guichet.accounts.models import User

    citizen, _created = User.objects.get_or_create(
        username=CITIZEN_PHONE, defaults={"phone_number": CITIZEN_PHONE, "kind": User.Kind.CITIZEN}
    )
    return citizen


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    role: str  # "anonymous", "citizen" (signed in) or the agent role that may open it


def _demo_values() -> dict[str, dict[str, str]]:
    """Path values of the demo objects, by pattern name (read once the demo is loaded)."""
    from guichet.complaints.models import Complaint
    from guichet.correspondence.models import Contact, Mail
    from guichet.criminal_records.models import BulletinRequest, IssuedBulletin, Person
    from guichet.gazette.models import Expression, Issue, Work
    from guichet.talents.models import Challenge, Promotion
    from guichet.transit.models import Feed, Route, Stop

    values: dict[str, dict[str, str]] = {}
    feed = Feed.objects.order_by("pk").first()
    if feed:
        values["transit:feed"] = {"feed": feed.name}
        values["transit:journey"] = {"feed": feed.name}
        values["transit:edit_feed"] = {"feed": feed.name}
        route = Route.objects.filter(feed=feed).order_by("pk").first()
        stop = Stop.objects.filter(feed=feed).order_by("pk").first()
        if route:
            values["transit:route"] = {"feed": feed.name, "route_id": route.route_id}
        if stop:
            values["transit:stop"] = {"feed": feed.name, "stop_id": stop.stop_id}
    # A closed complaint not yet rated shows the rating form too.
    complaint = (
        Complaint.objects.filter(case__status="closed", rating__isnull=True).first()
        or Complaint.objects.order_by("pk").first()
    )
    if complaint:
        values["complaints:follow"] = {"reference": complaint.reference}
        values["complaints:agent_detail"] = {"pk": str(complaint.pk)}
    bulletin = IssuedBulletin.objects.order_by("pk").first()
    if bulletin:
        values["criminal_records:verify_code"] = {"code": bulletin.code}
    request = BulletinRequest.objects.order_by("pk").first()
    if request:
        values["criminal_records:clerk_request"] = {"reference": request.reference}
    # The demo citizen's own n°3 (criminal_records/demo.py): the pages sign in as that citizen.
    own = (
        BulletinRequest.objects.filter(requester__username=CITIZEN_PHONE).order_by("pk").first()
        or request
    )
    if own:
        values["criminal_records:my_request"] = {"reference": own.reference}
        values["criminal_records:pay_request"] = {"reference": own.reference}
    person = Person.objects.order_by("pk").first()
    if person:
        for name in ("person_detail", "conviction_create", "person_merge"):
            values[f"criminal_records:{name}"] = {"pk": str(person.pk)}
    issue = Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("pk").first()
    if issue:
        values["gazette:issue"] = {"slug": issue.slug}
        values["gazette:editor_issue"] = {"pk": str(issue.pk)}
    expression = Expression.objects.filter(frozen=True).order_by("pk").first()
    if expression:
        values["gazette:text"] = {"path": str(expression).removeprefix("/akn/")}
    work = Work.objects.order_by("pk").first()
    if work:
        values["gazette:editor_text"] = {"pk": str(work.pk)}
    challenge = Challenge.objects.order_by("pk").first()
    if challenge:
        values["talents:challenge"] = {"slug": challenge.slug}
    promotion = Promotion.objects.order_by("pk").first()
    if promotion:
        values["talents:promotion"] = {"slug": promotion.slug}
        values["talents:statistics"] = {"slug": promotion.slug}
        values["talents:promotion_board"] = {"pk": str(promotion.pk)}
    mail = Mail.objects.order_by("pk").first()
    if mail:
        for name in ("detail", "impute", "attach", "visa", "dispatch"):
            values[f"correspondence:{name}"] = {"pk": str(mail.pk)}
    contact = Contact.objects.order_by("pk").first()
    if contact:
        values["correspondence:contact_resolve"] = {"pk": str(contact.pk)}
    return values


def _is_page(pattern: Pattern) -> bool:
    local = pattern.name.rpartition(":")[2]
    return (
        pattern.name not in NOT_PAGES
        and not pattern.name.startswith(NOT_PAGE_PREFIXES)
        and not local.startswith(("api", "open311"))
    )


def _rule(pattern: Pattern):
    return MATRIX.get(pattern.name) or NAMESPACE_RULES.get(pattern.name.split(":")[0])


def _path(pattern: Pattern, values: dict[str, dict[str, str]]) -> str | None:
    """The pattern's path with demo values, None for an agents' object page without demo object."""
    if not pattern.parameters:
        return fill(pattern, {})
    if pattern.name not in values:
        return None
    if any(converter.startswith("regex:") for _name, converter in pattern.parameters):
        # fill() would read "(?P<path>" as a route parameter: put the values in by hand.
        text = pattern.route
        for name, value in values[pattern.name].items():
            text = re.sub(rf"\(\?P<{name}>[^)]*\)", lambda _m, v=value: v, text)
        return "/" + text
    return fill(pattern, values[pattern.name])


def pages() -> tuple[list[Page], list[Page]]:
    """(citizen pages, agents' pages), the demo already loaded."""
    values = _demo_values()
    citizen, agents, missing = [], [], []
    for pattern in walk():
        rule = _rule(pattern)
        if rule is None or not _is_page(pattern) or pattern.name in MEMBERS_ONLY:
            continue
        anonymous = rule["anonymous"][0]
        if anonymous in ("allowed", "404"):
            path = _path(pattern, values)
            if path is None:
                missing.append(pattern.name)
            else:
                citizen.append(Page(pattern.name, path, "anonymous"))
            continue
        path = _path(pattern, values)
        if rule["citizen"][0] in ("allowed", "404"):
            if path is None:
                missing.append(pattern.name)
            else:
                citizen.append(Page(pattern.name, path, "citizen"))
            continue
        if path is None:
            continue
        role = next((r for r in AGENT_ROLES if rule[r][0] in ("allowed", "404")), None)
        if role is not None:
            agents.append(Page(pattern.name, path, role))
    assert not missing, f"citizen pages without a demo object in tests/site_pages.py: {missing}"
    return citizen, agents
