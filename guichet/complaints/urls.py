from django.urls import path

from guichet.complaints import views
from guichet.complaints.open311.urls import urlpatterns as open311_urlpatterns

app_name = "complaints"

urlpatterns = [
    path("plaintes/", views.home, name="home"),
    path("plaintes/deposer/", views.file_complaint, name="file"),
    path("plaintes/suivi/", views.lookup, name="lookup"),
    path("plaintes/suivi/<str:reference>/", views.follow, name="follow"),
    path("plaintes/suivi/<str:reference>/message/", views.citizen_reply, name="reply"),
    path("plaintes/suivi/<str:reference>/confirmer/", views.citizen_confirm, name="confirm"),
    path("plaintes/suivi/<str:reference>/rouvrir/", views.citizen_reopen, name="reopen"),
    path("plaintes/suivi/<str:reference>/noter/", views.citizen_rate, name="rate"),
    path("plaintes/statistiques/", views.statistics, name="statistics"),
    path("plaintes/agents/", views.agent_list, name="agent_list"),
    path("plaintes/agents/export.csv", views.agent_export, name="agent_export"),
    path("plaintes/agents/<int:pk>/", views.agent_detail, name="agent_detail"),
    path("plaintes/agents/<int:pk>/photo", views.agent_photo, name="agent_photo"),
    path("plaintes/agents/<int:pk>/<slug:action>/", views.agent_action, name="agent_action"),
    *open311_urlpatterns,
]
