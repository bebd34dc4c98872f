from django.urls import path

from guichet.talents import agent_views, api, views

app_name = "talents"


urlpatterns = [
    path("eig/", views.programme, name="programme"),
    path("api/eig/promotions", api.PromotionList.as_view(), name="api_promotions"),
    path(
        "api/eig/promotions/<slug:slug>/challenges",
        api.ChallengeList.as_view(),
        name="api_challenges",
    ),
    path("api/eig/promotions/<slug:slug>/teams", api.TeamList.as_view(), name="api_teams"),
    path("eig/defis/", views.catalogue, name="catalogue"),
    path("eig/defis/<slug:slug>/", views.challenge_detail, name="challenge"),
    path("eig/defis/<slug:slug>/resultats/", views.challenge_results, name="challenge_results"),
    path("eig/promotions/<slug:slug>/", views.promotion_detail, name="promotion"),
    path("eig/promotions/<slug:slug>/statistiques/", views.statistics, name="statistics"),
    # Candidates (signed in with their phone)
    path("eig/candidature/", views.candidate_home, name="candidate_home"),
    path("eig/candidature/profil/", views.candidate_profile, name="candidate_profile"),
    path(
        "eig/candidature/courriel/renvoyer/", views.resend_verification, name="resend_verification"
    ),
    path("eig/candidature/courriel/<str:token>/", views.verify_email, name="verify_email"),
    path("eig/candidature/defis/", views.candidate_choices, name="candidate_choices"),
    path("eig/candidature/envoyer/", views.submit_application, name="submit"),
    path("eig/candidature/retirer/", views.withdraw_application, name="withdraw"),
    path("eig/candidature/entretien/<int:choice_pk>/", views.book_slot, name="book_slot"),
    path(
        "eig/candidature/entretien/<int:choice_pk>/entretien.ics",
        views.interview_calendar,
        name="interview_calendar",
    ),
    path("eig/candidature/mes-donnees/", views.my_data, name="my_data"),
    path("eig/equipe/", views.team, name="team"),
    # Administrations' challenge owners
    path("eig/agents/defis/", agent_views.owner_home, name="owner_home"),
    path("eig/agents/defis/nouveau/", agent_views.challenge_edit, name="challenge_new"),
    path("eig/agents/defis/<int:pk>/", agent_views.challenge_edit, name="challenge_edit"),
    # ANSI
    path("eig/agents/programme/", agent_views.manager_home, name="manager_home"),
    path(
        "eig/agents/programme/defis/<int:pk>/",
        agent_views.challenge_review,
        name="challenge_review",
    ),
    path(
        "eig/agents/programme/promotions/<int:pk>/",
        agent_views.promotion_board,
        name="promotion_board",
    ),
    path(
        "eig/agents/programme/promotions/<int:pk>/evaluateurs/",
        agent_views.assign_reviewers,
        name="assign_reviewers",
    ),
    path(
        "eig/agents/programme/promotions/<int:pk>/creneaux/",
        agent_views.create_slots,
        name="create_slots",
    ),
    path(
        "eig/agents/programme/promotions/<int:pk>/export.csv",
        agent_views.export_applications,
        name="export",
    ),
    path(
        "eig/agents/programme/promotions/<int:pk>/choix/<int:choice_pk>/preselection/",
        agent_views.shortlist,
        name="shortlist",
    ),
    path(
        "eig/agents/programme/promotions/<int:pk>/choix/<int:choice_pk>/decision/",
        agent_views.decide,
        name="decide",
    ),
    path(
        "eig/agents/programme/candidatures/<int:pk>/",
        agent_views.application_detail,
        name="application",
    ),
    path(
        "eig/agents/programme/candidatures/<int:pk>/cv.pdf",
        agent_views.application_file,
        {"kind": "cv"},
        name="application_cv",
    ),
    path(
        "eig/agents/programme/candidatures/<int:pk>/diplome.pdf",
        agent_views.application_file,
        {"kind": "diploma"},
        name="application_diploma",
    ),
    # Jury
    path("eig/agents/jury/", agent_views.jury_home, name="jury_home"),
    path("eig/agents/jury/<int:pk>/", agent_views.review, name="review"),
    path(
        "eig/agents/jury/<int:pk>/cv.pdf", agent_views.review_file, {"kind": "cv"}, name="review_cv"
    ),
    path(
        "eig/agents/jury/<int:pk>/diplome.pdf",
        agent_views.review_file,
        {"kind": "diploma"},
        name="review_diploma",
    ),
]
