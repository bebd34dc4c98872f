"""Every URL pattern of the project, found by walking the resolver — so a pattern added later (a
new app included in guichet/urls.py) is crawled and must have a permission rule without anyone
editing the attack suite."""

import functools
import inspect
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import find
from hypothesis import strategies as st

# <converter:name> in a path() route.
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# request.GET.get("x"), request.GET["x"], request.POST.get('x'), data.get("x") on QueryDicts.
_READ_PARAMETER = re.compile(r"""\b(GET|POST)(?:\.get|\.getlist)?[\[(]\s*["']([\w\-]+)["']""")


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: its full regex or route, its name ("app:name" or the route when unnamed),
    its path parameters (name → converter name or "regex:<group regex>") and its view."""

    route: str
    name: str
    parameters: tuple[tuple[str, str], ...]
    callback: object = field(compare=False, repr=False)
    regex: str = ""

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def read_parameters(self) -> set[str]:
        """Query/form names the view's source reads directly (beyond its forms' fields)."""
        return _parameters_read_by(self.callback)


@functools.cache
def _parameters_read_by(callback) -> set[str]:
    view = inspect.unwrap(getattr(callback, "view_class", None) or callback)
    try:
        source = inspect.getsource(inspect.getmodule(view))
    except (OSError, TypeError):
        return set()
    return {name for _method, name in _READ_PARAMETER.findall(source)}


def _regex_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return pattern._regex.lstrip("^").rstrip("$")
    return str(pattern)


def walk(resolver=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    """Every URLPattern reachable from the root resolver, recursively through includes."""
    resolver = resolver or get_resolver()
    found: list[Pattern] = []
    for entry in resolver.url_patterns:
        text = prefix + _regex_text(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += walk(entry, text, inner)
        elif isinstance(entry, URLPattern):
            parameters = []
            for match in _ROUTE_PARAMETER.finditer(text):
                parameters.append((match["name"], match["converter"] or "str"))
            for name, group in _regex_groups(text):
                parameters.append((name, f"regex:{group}"))
            name = entry.name or text
            if entry.name and namespace:
                name = f"{namespace}:{entry.name}"
            found.append(Pattern(text, name, tuple(parameters), entry.callback))
    return found


def _regex_groups(text: str) -> list[tuple[str, str]]:
    """(name, inner regex) of each (?P<name>…) group, nested parentheses included."""
    groups = []
    for match in re.finditer(r"\(\?P<(\w+)>", text):
        depth, start = 1, match.end()
        index = start
        while index < len(text) and depth:
            if text[index] == "\\":
                index += 2
                continue
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            index += 1
        groups.append((match[1], text[start : index - 1]))
    return groups


@functools.cache
def regex_sample(regex: str) -> str:
    """The simplest string the group's regex fully matches (hypothesis shrinks to it)."""
    return find(st.from_regex(regex, fullmatch=True), lambda _text: True)


def fill(pattern: Pattern, values: dict[str, str]) -> str:
    """The pattern's path with `values` (already percent-encoded) put in for its parameters."""
    text = pattern.route
    for match in list(_ROUTE_PARAMETER.finditer(text))[::-1]:
        text = text[: match.start()] + values[match["name"]] + text[match.end() :]
    for name, group in _regex_groups(text)[::-1]:
        start = text.index(f"(?P<{name}>")
        end = start + len(f"(?P<{name}>") + len(group) + 1
        text = text[:start] + values[name] + text[end:]
    return "/" + text.replace("\\", "")
