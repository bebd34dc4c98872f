from django.urls import path

from guichet.notifications import simulator, views

app_name = "notifications"

urlpatterns = [
    path("sms/entrant", views.inbound_sms, name="inbound_sms"),
    path("sms/dlr", views.delivery_report, name="dlr"),
    path("ussd", views.ussd_callback, name="ussd"),
    path("sms/simulateur", simulator.simulator, name="simulator"),
]
