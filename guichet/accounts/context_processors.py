from django.apps import apps
from django.urls import NoReverseMatch, reverse


def navigation(request) -> dict:
    """The services' entries of the main menu, from each AppConfig's `nav`."""
    items = []
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "nav", []):
            try:
                items.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue  # the app has no such page yet
    return {"nav_items": items}
