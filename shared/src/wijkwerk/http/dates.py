"""Dates in query and path parameters are ISO ``YYYY-MM-DD``, nothing else (issue #21,
item 15).

Pydantic's lax mode reads a parameter declared ``date`` from a number of seconds since
1970 (``?op=0`` is 1 January 1970) or from a midnight datetime: a partner's typo becomes a
valid business date. An app-wide dependency checks every date parameter of the matched
route before the route's own validation and refuses anything else with the rule
``datum-ongeldig``; routes keep declaring a plain ``date``.
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date

from fastapi import Request

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


def _date_params(route) -> tuple[tuple[str, str], ...]:
    found = getattr(route, _ATTRIBUTE, None)
    if found is None:
        params: list[tuple[str, str]] = []
        pending = [route.dependant] if getattr(route, "dependant", None) is not None else []
        while pending:
            dependant = pending.pop()
            pending.extend(dependant.dependencies)
            params += [("query", f.alias) for f in dependant.query_params if _is_date(f.field_info.annotation)]
            params += [("path", f.alias) for f in dependant.path_params if _is_date(f.field_info.annotation)]
        found = tuple(dict.fromkeys(params))
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
    for where, name in _date_params(route):
        values = request.query_params.getlist(name) if where == "query" else [request.path_params.get(name)]
        for value in values:
            if value is not None and not valid_iso_date(value):
                raise Problem(422, RULE, f"{name}: a date is written YYYY-MM-DD (ISO 8601), e.g. 2026-03-04.",
                              errors=[{"loc": [where, name], "msg": "not an ISO date YYYY-MM-DD", "type": RULE}])
