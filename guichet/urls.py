from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from guichet import views

urlpatterns = [
    path("", views.home, name="home"),
    path("suivre/", views.follow, name="follow"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    # Platform: favicon and the indexes of the APIs listed in the README (before the apps' routes).
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/transit/", views.transit_api_index, name="api-transit-index"),
    path("open311/v2/", views.open311_index, name="open311-index"),
    path("langue/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("guichet.accounts.urls")),
    path("", include("guichet.notifications.urls")),
    path("", include("guichet.payments.urls")),  # mobile-money callbacks (issue 10)
    path("", include("guichet.correspondence.urls")),
    path("", include("guichet.complaints.urls")),
    path("", include("guichet.criminal_records.urls")),
    path("", include("guichet.transit.urls")),
    path("", include("guichet.gazette.urls")),
    path("", include("guichet.talents.urls")),
]

# No `static(MEDIA_URL, …)` in DEBUG: stored files (signed extracts, birth certificates, scans) are
# served only by the views that check who may see them, in development as in production (issue 9).
