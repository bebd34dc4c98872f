from django.urls import path

from guichet.criminal_records import (
    api,
    views,
    views_clerk_register,
    views_clerk_requests,
    views_verification,
)

app_name = "criminal_records"

urlpatterns = [
    path("casier/", views.home, name="home"),
    path("casier/verifier/", views_verification.verify, name="verify"),
    path("casier/verifier/<str:code>", views_verification.verify_code, name="verify_code"),
    path("casier/demande/", views.request_b3, name="request_b3"),
    path("casier/demande-b1/", views.request_b1, name="request_b1"),
    path("casier/demande-b2/", views.request_b2, name="request_b2"),
    path("casier/mes-demandes/", views.my_requests, name="my_requests"),
    path("casier/mes-demandes/<str:reference>/", views.my_request, name="my_request"),
    path("casier/mes-demandes/<str:reference>/payer/", views.pay_request, name="pay_request"),
    path("casier/bulletins/<str:code>.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("casier/greffe/", views_clerk_requests.clerk_home, name="clerk_home"),
    path(
        "casier/greffe/demandes/<str:reference>/",
        views_clerk_requests.clerk_request,
        name="clerk_request",
    ),
    path(
        "casier/greffe/demandes/<str:reference>/acte",
        views_clerk_requests.clerk_request_certificate,
        name="clerk_request_certificate",
    ),
    path(
        "casier/greffe/demandes/<str:reference>/pieces/<str:which>",
        views_clerk_requests.clerk_request_document,
        name="clerk_request_document",
    ),
    path("casier/greffe/personnes/", views_clerk_register.person_search, name="person_search"),
    path(
        "casier/greffe/personnes/nouvelle/",
        views_clerk_register.person_create,
        name="person_create",
    ),
    path(
        "casier/greffe/personnes/<int:pk>/",
        views_clerk_register.person_detail,
        name="person_detail",
    ),
    path(
        "casier/greffe/personnes/<int:pk>/condamnation/",
        views_clerk_register.conviction_create,
        name="conviction_create",
    ),
    path(
        "casier/greffe/personnes/<int:pk>/fusion/",
        views_clerk_register.person_merge,
        name="person_merge",
    ),
    path(
        "casier/greffe/condamnations/<int:pk>/evenement/",
        views_clerk_register.event_create,
        name="event_create",
    ),
    path(
        "casier/greffe/condamnations/<int:pk>/recours/",
        views_clerk_register.recourse_create,
        name="recourse_create",
    ),
    path("casier/greffe/fiches/", views_clerk_register.cards, name="cards"),
    path("casier/greffe/fiches/<int:pk>/", views_clerk_register.card_detail, name="card_detail"),
    # Penalties still « autre mesure » after migration 0004 (issue 10).
    path(
        "casier/greffe/peines-a-qualifier/",
        views_clerk_register.penalties_to_qualify,
        name="penalties_to_qualify",
    ),
    path("api/criminal_records/verify/<str:code>", api.verify_code, name="api_verify_code"),
    path("api/criminal_records/verify", api.verify_file, name="api_verify_file"),
    path("api/criminal_records/requests", api.my_requests, name="api_my_requests"),
]
