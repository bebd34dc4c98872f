"""What the home page and the menu offer: citizens' tasks in their own words, agents' tools apart.

Each service app declares, on its AppConfig, `citizen_tasks` (a list of `CitizenTask`) and
`agent_tools` (label, url name); `nav` stays the short menu entry of a citizen-facing service."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class CitizenTask:
    """One thing a citizen comes to do, said as they would say it.

    `summary` says what it does, `cost` what it costs, `delay` how long it takes, `offline` how to
    do it by SMS or USSD — each a lazy translation; `offline` may name `{short_code}` and
    `{ussd_code}`. `order` ranks the tasks on the home page."""

    title: str
    url_name: str
    summary: str
    cost: str = ""
    delay: str = ""
    offline: str = ""
    order: int = 100


def citizen_tasks(*, short_code: str, ussd_code: str) -> list[dict]:
    tasks = []
    for config in apps.get_app_configs():
        for task in getattr(config, "citizen_tasks", []):
            try:
                url = reverse(task.url_name)
            except NoReverseMatch:
                continue
            offline = str(task.offline).format(short_code=short_code, ussd_code=ussd_code)
            tasks.append({"task": task, "url": url, "offline": offline})
    return sorted(tasks, key=lambda item: item["task"].order)


def menu_items() -> list[dict]:
    """The services' entries of the main menu, from each AppConfig's `nav`."""
    items = []
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "nav", []):
            try:
                items.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return items


def agent_tools() -> list[dict]:
    tools = []
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "agent_tools", []):
            try:
                tools.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
    return tools
