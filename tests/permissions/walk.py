"""List every API endpoint and its HTTP methods straight from the URL resolver."""

from django.urls import URLPattern, URLResolver, get_resolver

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _methods(pattern: URLPattern) -> set[str]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset bound by a router
        return {method for method in actions if method in HTTP_METHODS}
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return {"get"}
    return {m for m in HTTP_METHODS if hasattr(view_class, m) and m in view_class.http_method_names}


def api_endpoints(prefix: str = "api/v1/") -> dict[tuple[str, str], str]:
    """(url name, method) -> route, for every named pattern under `prefix`."""
    found: dict[tuple[str, str], str] = {}

    def walk(patterns, route: str) -> None:
        for pattern in patterns:
            here = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here)
            elif here.startswith(prefix):
                if not pattern.name:
                    raise AssertionError(f"API route {here} has no URL name")
                for method in _methods(pattern):
                    found[(pattern.name, method)] = here

    walk(get_resolver().url_patterns, "")
    return found


def api_views(prefix: str = "api/v1/") -> list[tuple[str, object]]:
    """(route, view class) for every API route, for checks on the classes themselves."""
    views = []

    def walk(patterns, route: str) -> None:
        for pattern in patterns:
            here = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here)
            elif here.startswith(prefix):
                views.append((here, getattr(pattern.callback, "cls", None)))

    walk(get_resolver().url_patterns, "")
    return views
