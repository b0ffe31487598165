"""Dates in query and path parameters are ISO ``YYYY-MM-DD``, nothing else (issue #21,
item 15).

Pydantic's lax mode reads a parameter declared ``date`` from a number of seconds since
1970 (``?op=0`` is 1 January 1970) or from a midnight datetime: a partner's typo becomes a
valid business date. An app-wide dependency checks every date parameter of the matched
route and refuses anything else with the rule ``datum-ongeldig``; routes keep declaring a
plain ``date``. As with FastAPI's own validation, authentication comes first: a bad date
from a caller without a token (or without the route's scope) is a 401 (403).
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date

from fastapi import Request

from wijkwerk.auth import _bearer, current_principal
from wijkwerk.problems import Problem

RULE = "datum-ongeldig"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ATTRIBUTE = "_wijkwerk_date_params"  # (("query"|"path", name), …), kept on the route itself


def _is_date(annotation: object) -> bool:
    if annotation is date:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_date(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_date(a) for a in typing.get_args(annotation))
    return False


def _date_params(route) -> tuple[tuple[tuple[str, str], ...], tuple]:
    """The route's date parameters, and its scope checks (``wijkwerk.auth.require``)."""
    found = getattr(route, _ATTRIBUTE, None)
    if found is None:
        params: list[tuple[str, str]] = []
        guards = []
        pending = [route.dependant] if getattr(route, "dependant", None) is not None else []
        while pending:
            dependant = pending.pop()
            pending.extend(dependant.dependencies)
            params += [("query", f.alias) for f in dependant.query_params if _is_date(f.field_info.annotation)]
            params += [("path", f.alias) for f in dependant.path_params if _is_date(f.field_info.annotation)]
            if hasattr(dependant.call, "scopes"):
                guards.append(dependant.call)
        found = (tuple(dict.fromkeys(params)), tuple(guards))
        setattr(route, _ATTRIBUTE, found)
    return found


def valid_iso_date(value: str) -> bool:
    if not _ISO.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


async def strict_dates(request: Request) -> None:
    """App-wide dependency: every ``date`` query or path parameter is a real ISO date."""
    route = request.scope.get("route")
    if route is None:
        return
    params, guards = _date_params(route)
    for where, name in params:
        values = request.query_params.getlist(name) if where == "query" else [request.path_params.get(name)]
        for value in values:
            if value is not None and not valid_iso_date(value):
                if guards:  # who may not call the route learns nothing from its parameters
                    principal = await current_principal(request, await _bearer(request))
                    for guard in guards:
                        await guard(principal)
                raise Problem(422, RULE, f"{name}: a date is written YYYY-MM-DD (ISO 8601), e.g. 2026-03-04.",
                              errors=[{"loc": [where, name], "msg": "not an ISO date YYYY-MM-DD", "type": RULE}])
