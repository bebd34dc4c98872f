"""django.contrib.admin with Guichet's site (guichet.accounts.admin_site), named in INSTALLED_APPS."""

from django.contrib.admin.apps import AdminConfig


class GuichetAdminConfig(AdminConfig):
    """Second factor required, every change audited, no criminal-record data."""

    default_site = "guichet.accounts.admin_site.GuichetAdminSite"
