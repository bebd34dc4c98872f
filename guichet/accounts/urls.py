from django.urls import path

from guichet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.citizen_login, name="citizen_login"),
    path("connexion/code/", views.citizen_verify, name="citizen_verify"),
    path("agents/connexion/", views.agent_login, name="agent_login"),
    path("agents/verification/", views.agent_otp, name="agent_otp"),
    path("agents/double-authentification/", views.totp_setup, name="totp_setup"),
    path("agents/codes-de-secours/", views.recovery_codes_renew, name="recovery_codes_renew"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mon-espace/", views.profile, name="profile"),
    # Law n° 2022-59: the right of access and the right to erasure.
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/effacement/", views.erasure, name="erasure"),
]
