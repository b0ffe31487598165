"""RFC 9457 problem documents: every rejection names the rule that failed.

Domain code raises :class:`wijkwerk.fouten.DomainError` subclasses (no HTTP in the domain);
this module maps them, request validation errors and anything unexpected to
``application/problem+json`` in one place. Stack traces and SQL never leave the process.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

# The domain errors live in the framework-free base; re-exported for older import paths.
from wijkwerk.fouten import Conflict as Conflict
from wijkwerk.fouten import DomainError
from wijkwerk.fouten import NotFound as NotFound
from wijkwerk.fouten import NotKnownYet as NotKnownYet

PROBLEM_BASE = "https://wijkwerk.vlaanderen.be/problemen/"
MEDIA_TYPE = "application/problem+json"

log = logging.getLogger("wijkwerk.problems")


class Problem(Exception):
    """An HTTP-level rejection (auth, limits) raised outside the domain."""

    def __init__(self, status: int, rule: str, detail: str, *, retry_after: int | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.rule = rule
        self.detail = detail
        self.retry_after = retry_after  # seconds, sent as Retry-After (429, 503)
        self.extra = extra


class ProblemDocument(BaseModel):
    """The response schema of every error, for the OpenAPI documents."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    rule: str
    instance: str | None = None


TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDocument, "description": TITLES[status]}
    for status in (400, 401, 403, 404, 409, 422)
}


def problem_response(
    request: Request, status: int, rule: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": PROBLEM_BASE + rule,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "rule": rule,
        "instance": request.url.path,
        **extra,
    }
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": err.get("msg", ""),
            "type": err.get("type", ""),
        }
        for err in exc.errors()
    ]


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return problem_response(request, exc.status, exc.rule, exc.detail, headers=headers, **exc.extra)

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return problem_response(request, exc.status, exc.rule, exc.detail, headers=headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        first = errors[0] if errors else {"loc": [], "msg": "invalid"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}"
        return problem_response(request, 422, "ongeldige-invoer", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        rule = {404: "niet-gevonden", 405: "methode-niet-toegestaan"}.get(exc.status_code, "http-fout")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # RFC 9110 §15.5.6: every method the path has, not only those of the first route
            # Starlette matched (GET and POST on one path are two routes).
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path)) or headers.get("Allow", "")
        return problem_response(request, exc.status_code, rule, str(exc.detail), headers=headers or None)

    @app.exception_handler(PoolTimeout)
    async def _pool(request: Request, exc: PoolTimeout) -> JSONResponse:
        # Every database connection of the process stayed busy for the pool's timeout:
        # overload, not a fault of the request; the caller may retry it.
        log.warning("database pool exhausted on %s %s", request.method, request.url.path)
        return problem_response(request, 503, "database-overbelast",
                                "All database connections are busy; retry after 1 s.", headers={"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            request, 500, "interne-fout", "An unexpected error occurred; it has been logged."
        )


def allowed_methods(app, path: str) -> list[str]:
    """The methods the app serves on ``path``, from its routes (also those inside included
    routers, which this FastAPI keeps as effective route contexts)."""
    routes = getattr(app.state, "allow_index", None)
    if routes is None:
        routes = []
        for route in app.routes:
            contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
            routes += [(c.path_regex, c.methods) for c in contexts if getattr(c, "path_regex", None) and c.methods]
        app.state.allow_index = routes
    return sorted({m for regex, ms in routes if regex.match(path) for m in ms})
