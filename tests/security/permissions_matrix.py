"""The permission matrix: for every named URL, what each kind of user gets, GET and POST.

Read by tests/security/test_permission_matrix.py, which walks every URL pattern of the project:
a pattern missing here fails the suite, so a new view cannot ship without its permission rule.
Outcomes (tests/security/permission_outcomes.py): "allowed" (the view answered: 200, a redirect
elsewhere, 400, 405…), "sign-in" (sent to a sign-in page), "403", "404" (an object that does not
exist, or another scope's: the same answer). A value "GET/POST" differs by method, else both.
The URLs are requested with placeholder path values (1, "abc"), so object pages answer 404 to the
users they admit and 403 or sign-in to the others — the order of checks that keeps other scopes'
objects secret. `agents` is every agent role; a role named after it overrides.

The Django admin is one rule for its whole namespace (staff only, through its own login).
"""

AGENT_ROLES = (
    "administration",
    "complaints_handler",
    "court_clerk",
    "gazette_editor",
    "head_of_service",
    "judge",
    "mail_clerk",
    "platform_admin",
    "transport_agent",
    # guichet.talents (the EIG programme)
    "challenge_owner",
    "jury_member",
    "programme_manager",
)


def rule(*, anonymous: str, citizen: str, agents: str, **roles: str) -> dict[str, tuple[str, str]]:
    def both(value: str) -> tuple[str, str]:
        get, _slash, post = value.partition("/")
        return (get, post or get)

    expected = {"anonymous": both(anonymous), "citizen": both(citizen)}
    for role in AGENT_ROLES:
        expected[role] = both(roles.get(role, agents))
    return expected


# Every namespace whose patterns share one rule.
NAMESPACE_RULES = {
    "admin": rule(anonymous="sign-in", citizen="sign-in", agents="sign-in"),
}

MATRIX = {
    "home": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "follow": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "healthz": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    # Prometheus only: a token or an allowed address, whoever is signed in (POST: 405).
    "metrics": rule(anonymous="403/allowed", citizen="403/allowed", agents="403/allowed"),
    "favicon": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "api-transit-index": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "open311-index": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    # Payments: a provider's callback and the development simulator, for a placeholder
    # provider / payment that does not exist.
    "payments:notify": rule(anonymous="404", citizen="404", agents="404"),
    "payments:simulator": rule(anonymous="404", citizen="404", agents="404"),
    # The citizen's own request only (the placeholder reference is nobody's: POST 404).
    "criminal_records:pay_request": rule(
        anonymous="sign-in", citizen="allowed/404", agents="sign-in"
    ),
    "criminal_records:clerk_request_document": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:penalties_to_qualify": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed"
    ),
    # Open data files are built by a background task; none is built here.
    "gazette:open_data_manifest": rule(anonymous="404", citizen="404", agents="404"),
    "gazette:open_data_file": rule(anonymous="404", citizen="404", agents="404"),
    "set_language": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "admin:login": rule(anonymous="allowed", citizen="403", agents="403"),
    "admin:logout": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "api-schema": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "api-docs": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "accounts:citizen_login": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "accounts:citizen_verify": rule(anonymous="sign-in", citizen="sign-in", agents="sign-in"),
    "accounts:agent_login": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "accounts:agent_otp": rule(anonymous="sign-in", citizen="allowed", agents="allowed"),
    "accounts:totp_setup": rule(anonymous="sign-in", citizen="allowed", agents="allowed"),
    "accounts:recovery_codes_renew": rule(
        anonymous="sign-in", citizen="allowed/sign-in", agents="allowed"
    ),
    "accounts:logout": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "accounts:profile": rule(anonymous="sign-in", citizen="allowed", agents="allowed"),
    # « Mes données » (law n° 2022-59): citizens signed in by phone only (POST of the page: 405).
    "accounts:my_data": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "accounts:erasure": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "notifications:inbound_sms": rule(anonymous="403", citizen="403", agents="403"),
    "notifications:dlr": rule(anonymous="403/allowed", citizen="403/allowed", agents="403/allowed"),
    "notifications:ussd": rule(
        anonymous="allowed/403", citizen="allowed/403", agents="allowed/403"
    ),
    "notifications:simulator": rule(anonymous="404", citizen="404", agents="404"),
    "correspondence:home": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed",
        mail_clerk="allowed",
    ),
    "correspondence:register": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed",
        mail_clerk="allowed",
    ),
    "correspondence:dashboard": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed",
        mail_clerk="allowed",
    ),
    "correspondence:register_export": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed",
        mail_clerk="allowed",
    ),
    "correspondence:contacts": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed",
        mail_clerk="allowed",
    ),
    "correspondence:contact_new": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed",
        mail_clerk="allowed",
    ),
    "correspondence:contact_resolve": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed/404",
        mail_clerk="allowed/404",
    ),
    "correspondence:detail": rule(
        anonymous="sign-in", citizen="403", agents="403", head_of_service="404", mail_clerk="404"
    ),
    "correspondence:impute": rule(
        anonymous="sign-in", citizen="403", agents="403", head_of_service="404", mail_clerk="404"
    ),
    "correspondence:attach": rule(
        anonymous="sign-in", citizen="403", agents="403", head_of_service="404", mail_clerk="404"
    ),
    "correspondence:attachment": rule(
        anonymous="sign-in", citizen="403", agents="403", head_of_service="404", mail_clerk="404"
    ),
    "correspondence:visa": rule(
        anonymous="sign-in", citizen="403", agents="403", head_of_service="404", mail_clerk="404"
    ),
    "correspondence:dispatch": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed/404",
        mail_clerk="allowed/404",
    ),
    "correspondence:act": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        head_of_service="allowed/404",
        mail_clerk="allowed/404",
    ),
    "complaints:home": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:file": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:lookup": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:follow": rule(anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"),
    "complaints:reply": rule(anonymous="allowed/404", citizen="allowed/404", agents="allowed/404"),
    "complaints:confirm": rule(
        anonymous="allowed/404", citizen="allowed/404", agents="allowed/404"
    ),
    "complaints:reopen": rule(anonymous="allowed/404", citizen="allowed/404", agents="allowed/404"),
    "complaints:rate": rule(anonymous="allowed/404", citizen="allowed/404", agents="allowed/404"),
    "complaints:statistics": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:agent_list": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        complaints_handler="allowed",
        head_of_service="allowed",
    ),
    "complaints:agent_export": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        complaints_handler="allowed",
        head_of_service="allowed",
    ),
    "complaints:agent_detail": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        complaints_handler="404/allowed",
        head_of_service="404/allowed",
    ),
    "complaints:agent_photo": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        complaints_handler="404/allowed",
        head_of_service="404/allowed",
    ),
    "complaints:agent_action": rule(
        anonymous="sign-in",
        citizen="403",
        agents="403",
        complaints_handler="allowed/404",
        head_of_service="allowed/404",
    ),
    "complaints:open311_openapi": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:open311_discovery": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:open311_services": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "complaints:open311_service": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    # Open311 POST without an api_key: 403, as GeoReport v2 specifies (issue 14), whoever is signed in.
    "complaints:open311_requests": rule(
        anonymous="allowed/403", citizen="allowed/403", agents="allowed/403"
    ),
    "complaints:open311_request": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    "complaints:open311_token": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    "complaints:open311_not_found": rule(anonymous="404", citizen="404", agents="404"),
    "criminal_records:home": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "criminal_records:verify": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "criminal_records:verify_code": rule(anonymous="404", citizen="404", agents="404"),
    "criminal_records:request_b3": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "criminal_records:request_b1": rule(
        anonymous="sign-in", citizen="403", agents="403", judge="allowed"
    ),
    "criminal_records:request_b2": rule(
        anonymous="sign-in", citizen="403", agents="403", administration="allowed"
    ),
    "criminal_records:my_requests": rule(
        anonymous="sign-in",
        citizen="allowed",
        agents="403",
        administration="allowed",
        court_clerk="allowed",
        judge="allowed",
    ),
    "criminal_records:my_request": rule(
        anonymous="sign-in",
        citizen="404",
        agents="403",
        administration="404",
        court_clerk="404",
        judge="404",
    ),
    "criminal_records:bulletin_pdf": rule(
        anonymous="sign-in",
        citizen="404",
        agents="403",
        administration="404",
        court_clerk="404",
        judge="404",
    ),
    "criminal_records:clerk_home": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed"
    ),
    "criminal_records:clerk_request": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:clerk_request_certificate": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:person_search": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed"
    ),
    "criminal_records:person_create": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed"
    ),
    "criminal_records:person_detail": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:conviction_create": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:person_merge": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed/404"
    ),
    "criminal_records:event_create": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed/404"
    ),
    "criminal_records:recourse_create": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:cards": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="allowed"
    ),
    "criminal_records:card_detail": rule(
        anonymous="sign-in", citizen="403", agents="403", court_clerk="404"
    ),
    "criminal_records:api_verify_code": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    "criminal_records:api_verify_file": rule(
        anonymous="allowed", citizen="allowed", agents="allowed"
    ),
    "criminal_records:api_my_requests": rule(anonymous="403", citizen="allowed", agents="allowed"),
    "transit:home": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "transit:editor": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="allowed"
    ),
    "transit:upload": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="allowed"
    ),
    "transit:new_feed": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="allowed"
    ),
    "transit:edit_feed": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="404"
    ),
    "transit:download": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="404"
    ),
    # The trace-to-GTFS tool (a placeholder feed is nobody's: 404 to transport agents).
    "transit:trace_surveys": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="404"
    ),
    "transit:trace_survey": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="404"
    ),
    "transit:trace_recorder": rule(
        anonymous="sign-in", citizen="403", agents="403", transport_agent="404"
    ),
    "transit:feed": rule(anonymous="404", citizen="404", agents="404"),
    "transit:journey": rule(anonymous="404", citizen="404", agents="404"),
    "transit:route": rule(anonymous="404", citizen="404", agents="404"),
    "transit:stop": rule(anonymous="404", citizen="404", agents="404"),
    "transit:api-plan": rule(anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"),
    "transit:api-departures": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    "gazette:home": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:issues": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:issue": rule(anonymous="404", citizen="404", agents="404"),
    "gazette:issue_pdf": rule(anonymous="404", citizen="404", agents="404"),
    "gazette:verify": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:alerts": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:alert_cancel": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:open_data": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    # Served from the files built after each publication (none is built here): never built on
    # a request, so 404 until the background task has run.
    "gazette:open_data_texts": rule(anonymous="404", citizen="404", agents="404"),
    "gazette:open_data_issues": rule(anonymous="404", citizen="404", agents="404"),
    "gazette:feed": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:feed_type": rule(anonymous="404", citizen="404", agents="404"),
    "gazette:feed_authority": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:editor": rule(
        anonymous="sign-in", citizen="403", agents="403", gazette_editor="allowed"
    ),
    "gazette:editor_text_new": rule(
        anonymous="sign-in", citizen="403", agents="403", gazette_editor="allowed"
    ),
    "gazette:editor_text": rule(
        anonymous="sign-in", citizen="403", agents="403", gazette_editor="404"
    ),
    "gazette:editor_rectificatif": rule(
        anonymous="sign-in", citizen="403", agents="403", gazette_editor="allowed/404"
    ),
    "gazette:editor_issue_new": rule(
        anonymous="sign-in", citizen="403", agents="403", gazette_editor="allowed"
    ),
    "gazette:editor_issue": rule(
        anonymous="sign-in", citizen="403", agents="403", gazette_editor="404"
    ),
    "gazette:api_search": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "gazette:text": rule(anonymous="404", citizen="404", agents="404"),
    "talents:programme": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "talents:api_promotions": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "talents:api_challenges": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    "talents:api_teams": rule(anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"),
    "talents:catalogue": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "talents:challenge": rule(anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"),
    "talents:promotion": rule(anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"),
    "talents:statistics": rule(
        anonymous="404/allowed", citizen="404/allowed", agents="404/allowed"
    ),
    "talents:candidate_home": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "talents:candidate_profile": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "talents:resend_verification": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "talents:verify_email": rule(anonymous="allowed", citizen="allowed", agents="allowed"),
    "talents:candidate_choices": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "talents:submit": rule(anonymous="sign-in", citizen="allowed/404", agents="sign-in"),
    "talents:withdraw": rule(anonymous="sign-in", citizen="allowed/404", agents="sign-in"),
    "talents:book_slot": rule(anonymous="sign-in", citizen="allowed/404", agents="sign-in"),
    "talents:interview_calendar": rule(
        anonymous="sign-in", citizen="404/allowed", agents="sign-in"
    ),
    "talents:my_data": rule(anonymous="sign-in", citizen="allowed", agents="sign-in"),
    "talents:challenge_results": rule(anonymous="sign-in", citizen="404", agents="404"),
    "talents:team": rule(anonymous="sign-in", citizen="403", agents="sign-in"),
    "talents:owner_home": rule(
        anonymous="sign-in", citizen="403", agents="403", challenge_owner="allowed"
    ),
    "talents:challenge_new": rule(
        anonymous="sign-in", citizen="403", agents="403", challenge_owner="allowed"
    ),
    "talents:challenge_edit": rule(
        anonymous="sign-in", citizen="403", agents="403", challenge_owner="404"
    ),
    "talents:manager_home": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="allowed"
    ),
    "talents:challenge_review": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="404"
    ),
    "talents:promotion_board": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="404/allowed"
    ),
    "talents:assign_reviewers": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="allowed/404"
    ),
    "talents:create_slots": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="allowed/404"
    ),
    "talents:export": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="404/allowed"
    ),
    "talents:shortlist": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="allowed/404"
    ),
    "talents:decide": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="allowed"
    ),
    "talents:jury_home": rule(
        anonymous="sign-in", citizen="403", agents="403", jury_member="allowed"
    ),
    "talents:review": rule(anonymous="sign-in", citizen="403", agents="403", jury_member="404"),
    "talents:review_cv": rule(
        anonymous="sign-in", citizen="403", agents="403", jury_member="404/allowed"
    ),
    "talents:review_diploma": rule(
        anonymous="sign-in", citizen="403", agents="403", jury_member="404/allowed"
    ),
    "talents:application": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="404/allowed"
    ),
    "talents:application_cv": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="404/allowed"
    ),
    "talents:application_diploma": rule(
        anonymous="sign-in", citizen="403", agents="403", programme_manager="404/allowed"
    ),
}
