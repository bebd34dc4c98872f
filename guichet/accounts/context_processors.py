from guichet.navigation import agent_tools, menu_items


def navigation(request) -> dict:
    """The main menu: citizens' services for everyone, agents' tools for signed-in agents."""
    user = getattr(request, "user", None)
    is_agent = bool(user is not None and user.is_authenticated and user.is_agent)
    return {"nav_items": menu_items(), "agent_tools": agent_tools() if is_agent else []}
