from django.urls import path, re_path

from guichet.gazette import api, editing, feeds, views

app_name = "gazette"

urlpatterns = [
    path("journal-officiel/", views.home, name="home"),
    path("journal-officiel/numeros/", views.issues, name="issues"),
    path("journal-officiel/numeros/<slug:slug>/", views.issue_detail, name="issue"),
    path("journal-officiel/numeros/<slug:slug>.pdf", views.issue_pdf, name="issue_pdf"),
    path("journal-officiel/verifier/", views.verify, name="verify"),
    path("journal-officiel/alertes/", views.alerts, name="alerts"),
    path("journal-officiel/alertes/<str:token>/annuler/", views.alert_cancel, name="alert_cancel"),
    path("journal-officiel/donnees/", views.open_data, name="open_data"),
    path("journal-officiel/donnees/textes.zip", views.open_data_texts, name="open_data_texts"),
    path("journal-officiel/donnees/numeros.zip", views.open_data_issues, name="open_data_issues"),
    path(
        "journal-officiel/donnees/manifeste.json",
        views.open_data_manifest,
        name="open_data_manifest",
    ),
    path(
        "journal-officiel/donnees/<str:name>",
        views.open_data_file,
        name="open_data_file",
    ),
    path("journal-officiel/flux.atom", feeds.TextsFeed(), name="feed"),
    path("journal-officiel/flux/type/<str:doctype>.atom", feeds.TextsFeed(), name="feed_type"),
    path(
        "journal-officiel/flux/autorite/<str:authority>.atom",
        feeds.TextsFeed(),
        name="feed_authority",
    ),
    path("journal-officiel/redaction/", editing.dashboard, name="editor"),
    path("journal-officiel/redaction/textes/nouveau/", editing.text_new, name="editor_text_new"),
    path("journal-officiel/redaction/textes/<int:pk>/", editing.text_detail, name="editor_text"),
    path(
        "journal-officiel/redaction/textes/<int:pk>/rectificatif/",
        editing.rectificatif,
        name="editor_rectificatif",
    ),
    path("journal-officiel/redaction/numeros/nouveau/", editing.issue_new, name="editor_issue_new"),
    path("journal-officiel/redaction/numeros/<int:pk>/", editing.issue_detail, name="editor_issue"),
    path("api/gazette/search", api.search_texts, name="api_search"),
    re_path(r"^akn/(?P<path>ne/.+)$", views.text, name="text"),
]
