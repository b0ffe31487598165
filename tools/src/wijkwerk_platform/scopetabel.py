"""The endpoint → scope table of every service, read from the routes' own dependencies
(so it cannot drift from the code). ``python -m wijkwerk_platform.scopetabel`` prints the
Markdown table that the README carries between its markers; a test keeps them equal."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from fastapi.routing import APIRoute

SERVICES = ("toeleiding", "prestaties", "cheques", "evaluatie")
PUBLIC = {"/health", "/ready", "/metrics", "/ready/workers", "/health/workers", "/dashboard/static/plotly.min.js", "/dashboard/login", "/dashboard/logout",
          # a certificate's verification page and the key it is checked with (issue #23 item 5)
          "/verificatie/getuigschriften/{getuigschrift_id}", "/.well-known/wijkwerk-getuigschriften.json",
          # the worker's page: its shell only (no data), installable and offline (issue #23 item 7)
          "/mijn", "/mijn/", "/mijn/{bestand}"}
BEGIN, END = "<!-- scopetabel:begin -->", "<!-- scopetabel:end -->"


@dataclass(frozen=True)
class Rij:
    service: str
    method: str
    path: str
    scopes: tuple[str, ...]  # any one of them suffices; () = public or signed webhook


def _scopes(dependant) -> tuple[str, ...]:
    found: list[str] = []
    for dep in dependant.dependencies:
        found += list(getattr(dep.call, "scopes", ()))
        found += _scopes(dep)
    return tuple(dict.fromkeys(found))


def rijen() -> list[Rij]:
    result = []
    for service in SERVICES:
        api = importlib.import_module(f"{service}.entrypoints.api")
        config = importlib.import_module(f"{service}.config")
        app = api.create_app(config.Settings(run_workers=False))
        for route in _api_routes(app.routes):
            for method in sorted(route.methods - {"HEAD"}):
                result.append(Rij(service, method, route.path, _scopes(route.dependant)))
    return result


def _api_routes(routes):
    """Every API route, also inside included routers (kept as ``_IncludedRouter`` with
    their effective route contexts in this FastAPI)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from (c for c in route.effective_route_contexts() if c.dependant is not None)


def _toegang(rij: Rij) -> str:
    if rij.scopes:
        return " or ".join(f"`{s}`" for s in rij.scopes)
    if rij.path.startswith("/v1/webhooks/"):
        return "HMAC signature of the issuer"
    return "public"


def markdown() -> str:
    lines = ["| service | method | path | scope |", "|---|---|---|---|"]
    lines += [f"| {r.service} | {r.method} | `{r.path}` | {_toegang(r)} |" for r in rijen()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
