"""The project's URLs restricted to what these tests use, so that another app's unfinished
urls.py (the shared tree changes under us) cannot fail this suite. The real guichet/urls.py
includes guichet.complaints.urls the same way."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from guichet import views

urlpatterns = [
    path("", views.home, name="home"),
    path("langue/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("guichet.accounts.urls")),
    path("", include("guichet.notifications.urls")),
    path("", include("guichet.complaints.urls")),
]
