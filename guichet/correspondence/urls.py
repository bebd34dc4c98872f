from django.urls import path

from guichet.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("courrier/", views.home, name="home"),
    path("courrier/enregistrer/", views.register, name="register"),
    path("courrier/tableau-de-bord/", views.dashboard, name="dashboard"),
    path("courrier/registre/", views.register_export, name="register_export"),
    path("courrier/correspondants/", views.contacts, name="contacts"),
    path("courrier/correspondants/nouveau/", views.contact_new, name="contact_new"),
    path(
        "courrier/correspondants/<int:pk>/doublon/",
        views.contact_resolve,
        name="contact_resolve",
    ),
    path("courrier/<int:pk>/", views.detail, name="detail"),
    path("courrier/<int:pk>/imputer/", views.impute, name="impute"),
    path("courrier/<int:pk>/pieces/", views.attach, name="attach"),
    path("courrier/<int:pk>/pieces/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("courrier/<int:pk>/visa/", views.visa, name="visa"),
    path("courrier/<int:pk>/expedier/", views.dispatch, name="dispatch"),
    path("courrier/<int:pk>/<slug:action>/", views.act, name="act"),
]
