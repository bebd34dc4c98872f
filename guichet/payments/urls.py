from django.urls import path

from guichet.payments import views

app_name = "payments"

urlpatterns = [
    path("paiement/notification/<str:provider>/", views.notify, name="notify"),
    path("paiement/simulateur/<str:reference>/", views.simulator_page, name="simulator"),
]
