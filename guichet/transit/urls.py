from django.urls import path

from guichet.transit import api, editor_views, trace_views, views

app_name = "transit"

urlpatterns = [
    path("transport/", views.home, name="home"),
    path("transport/gestion/", editor_views.dashboard, name="editor"),
    path("transport/gestion/importer/", editor_views.upload, name="upload"),
    path("transport/gestion/nouveau/", editor_views.new_feed, name="new_feed"),
    path("transport/gestion/<slug:feed>/", editor_views.edit_feed, name="edit_feed"),
    path("transport/gestion/<slug:feed>/gtfs.zip", editor_views.download, name="download"),
    path("transport/gestion/<slug:feed>/releves/", trace_views.surveys, name="trace_surveys"),
    path(
        "transport/gestion/<slug:feed>/releves/<int:survey>/",
        trace_views.survey,
        name="trace_survey",
    ),
    path(
        "transport/gestion/<slug:feed>/releves/<int:survey>/enregistrer/",
        trace_views.recorder,
        name="trace_recorder",
    ),
    path("transport/<slug:feed>/", views.feed_detail, name="feed"),
    path("transport/<slug:feed>/itineraire/", views.journey, name="journey"),
    path("transport/<slug:feed>/lignes/<str:route_id>/", views.route_detail, name="route"),
    path("transport/<slug:feed>/arrets/<str:stop_id>/", views.stop_detail, name="stop"),
    path("api/transit/plan", api.plan, name="api-plan"),
    path("api/transit/stops/<str:stop_id>/departures", api.stop_departures, name="api-departures"),
]
