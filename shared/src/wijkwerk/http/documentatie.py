"""The problem rules an operation can answer, as examples in the OpenAPI document (issue #21).

A route declares the rules of its own domain in one line::

    @router.post("/...", responses=weigert(
        (409, "periode-al-afgesloten", "2026-01 is closed already."),
        (422, "periode-niet-voorbij", "2026-02 is not over on 2026-02-20."),
    ))

which yields :data:`wijkwerk.problems.PROBLEM_RESPONSES` with one
``application/problem+json`` example per rule. The rules every operation shares (the
token and scope checks, ``ongeldige-invoer``, ``datum-ongeldig``, the Idempotency-Key
answers of a POST, overload, the rate limit) are added by :func:`documenteer_algemene_regels`, which the
app's OpenAPI hook runs on the whole document, so no route repeats them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from wijkwerk.problems import MEDIA_TYPE, PROBLEM_BASE, PROBLEM_RESPONSES, TITLES, ProblemDocument

Regel = tuple[int, str, str] | tuple[int, str, str, dict[str, Any]]


def probleem(status: int, rule: str, detail: str, **extra: Any) -> dict[str, Any]:
    """One OpenAPI example of a problem document."""
    return {"summary": rule, "value": {"type": PROBLEM_BASE + rule, "title": TITLES.get(status, "Error"),
                                        "status": status, "detail": detail, "rule": rule, **extra}}


def weigert(*regels: Regel, **meer: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the shared problem responses, each status with an example
    per rule the route can answer (``(status, rule, detail[, extra fields])``). ``meer``
    adds other responses, e.g. ``r200={"content": {"text/csv": {}}}``."""
    responses: dict[int | str, dict[str, Any]] = {s: dict(r) for s, r in PROBLEM_RESPONSES.items()}
    for regel in regels:
        status, rule, detail = regel[:3]
        extra = regel[3] if len(regel) > 3 else {}  # type: ignore[misc]
        response = responses.setdefault(status, {"model": ProblemDocument, "description": TITLES.get(status, "Error")})
        # Under application/json so FastAPI merges them with the problem schema; the app's
        # OpenAPI hook publishes that content as application/problem+json.
        content = response.setdefault("content", {}).setdefault("application/json", {})
        content.setdefault("examples", {})[rule] = probleem(status, rule, detail, **extra)
    for key, response in meer.items():
        responses[int(key.lstrip("r"))] = response
    return responses


_AUTH: tuple[Regel, ...] = (
    (401, "token-ontbreekt", "A bearer token is required."),
    (401, "token-ongeldig", "The bearer token is not valid."),
    (401, "token-verlopen", "The bearer token has expired."),
    (403, "scope-ontbreekt", "This operation needs one of the scopes: cheques:read."),
    (403, "scope-ongeldig", "The token's scope claim is neither a string nor a list of strings."),
    (403, "org-type-ontbreekt", "The token carries no org_type claim: nothing is allowed."),
    (403, "org-type-onbekend", "The token's org_type is not one of: organisator, vdab, ocmw, wijkwerker."),
    (403, "org-ontbreekt", "A token of org_type organisator must name its organisation (the org claim)."),
    (403, "org-ongeldig", "The org claim of an organisator token must be its id (a UUID)."),
)
_INVOER: Regel = (422, "ongeldige-invoer", "body.uren: Input should be greater than 0",
                  {"errors": [{"loc": ["body", "uren"], "msg": "Input should be greater than 0",
                               "type": "greater_than"}]})
_DATUM: Regel = (422, "datum-ongeldig", "op: a date is written YYYY-MM-DD (ISO 8601), e.g. 2026-03-04.",
                 {"errors": [{"loc": ["query", "op"], "msg": "not an ISO date YYYY-MM-DD", "type": "datum-ongeldig"}]})
_TE_GROOT: Regel = (413, "verzoek-te-groot", "The request body exceeds 1048576 bytes.")
_IDEMPOTENTIE: tuple[Regel, ...] = (
    (400, "idempotentie-sleutel-ongeldig", "Idempotency-Key is one value of 1 to 255 visible ASCII characters."),
    (409, "idempotentie-sleutel-in-behandeling", "A request with this Idempotency-Key is still being processed; "
                                                  "retry after Retry-After seconds."),
    (422, "idempotentie-sleutel-hergebruikt", "This Idempotency-Key was used before with another request."),
    (503, "opnieuw-proberen", "The request was not completed and nothing was written; retry with the same "
                              "Idempotency-Key."),
)
_OVERLOAD: tuple[Regel, ...] = (
    (503, "overbelast", "The service is at its limit of requests in flight; retry after 1 s."),
    (503, "database-overbelast", "All database connections are busy; retry after 1 s."),
)
# Per client (wijkwerk.http.verzoeklimiet): only a verified caller has a bucket.
_LIMIET: Regel = (429, "te-veel-verzoeken", "More than 20 requests/s (burst 40) from this client; retry after 1 s.")
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}}
_GEDEELDE_ROUTES: dict[tuple[str, str], tuple[Regel, ...]] = {
    # The routes every service gets from wijkwerk.http (app.py, audit.py) and the rules they answer.
    ("get", "/v1/audit"): ((403, "alleen-centraal", "The audit trail is for central callers only."),
                           (422, "periode-ongeldig", "`tot` lies before `van`.")),
    ("get", "/v1/gebeurtenissen"): (
        (403, "alleen-centraal", "The event history is for central callers only."),
        (409, "geschiedenis-onvolledig", "The archive does not reach back to the first event: it starts at "
                                         "2026-02-01T00:00:00+00:00.")),
}
ALGEMENE_REGELS = frozenset(r[1] for r in (*_AUTH, _INVOER, _DATUM, _TE_GROOT, *_IDEMPOTENTIE, *_OVERLOAD, _LIMIET))
"""The rules :func:`documenteer_algemene_regels` documents; no service raises these itself."""


def _voeg_toe(operation: dict[str, Any], regel: Regel) -> None:
    status, rule, detail = regel[:3]
    extra = regel[3] if len(regel) > 3 else {}  # type: ignore[misc]
    response = operation.setdefault("responses", {}).setdefault(
        str(status), {"description": TITLES.get(status, "Error")})
    if status == 429:
        response.setdefault("headers", _RETRY_AFTER)
    content = response.setdefault("content", {})
    media = content.setdefault(MEDIA_TYPE, content.pop("application/json", None) or {
        "schema": {"$ref": "#/components/schemas/ProblemDocument"}})
    media.setdefault("examples", {}).setdefault(rule, probleem(status, rule, detail, **extra))


def documenteer_algemene_regels(schema: dict[str, Any]) -> None:
    """Add to every operation the shared rules it can answer: the token checks when it is
    secured (and the per-client rate limit, ``te-veel-verzoeken``), ``ongeldige-invoer`` when it takes input, ``datum-ongeldig`` for a date
    parameter, the Idempotency-Key answers when it takes that header, overload always; and
    the rules of the routes every service gets from ``wijkwerk.http`` (audit, event history)."""
    for pad, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if "ProblemDocument" not in str(operation.get("responses", {})):
                continue  # /health, /ready, /metrics: no problem documents
            regels: list[Regel] = list(_OVERLOAD)
            if operation.get("security"):
                regels += (*_AUTH, _LIMIET)
            parameters = operation.get("parameters", [])
            if parameters or "requestBody" in operation:
                regels.append(_INVOER)
            if "requestBody" in operation:
                regels.append(_TE_GROOT)
            if any(p.get("schema", {}).get("format") == "date" or
                   any(a.get("format") == "date" for a in p.get("schema", {}).get("anyOf", [])) for p in parameters):
                regels.append(_DATUM)
            if any(p.get("name") == "Idempotency-Key" for p in parameters):
                regels += _IDEMPOTENTIE
            regels += _GEDEELDE_ROUTES.get((method, pad), ())
            for regel in regels:
                _voeg_toe(operation, regel)


def gedocumenteerde_regels(operation: dict[str, Any]) -> set[str]:
    """The rules an operation of an OpenAPI document lists as problem examples."""
    return {rule for response in operation.get("responses", {}).values()
            for rule in response.get("content", {}).get(MEDIA_TYPE, {}).get("examples", {})}


_RULE_IN_CODE = re.compile(r'(?:\brule\s*=\s*|Problem\(\s*\d{3},\s*)"([a-z0-9]+(?:-[a-z0-9]+)*)"')


def regels_in_code(*bronnen: Path, uitgezonderd: tuple[str, ...] = ()) -> set[str]:
    """Every rule string raised in the Python sources under ``bronnen`` (but not in a path
    containing one of ``uitgezonderd``): ``rule="..."`` keywords, ``rule = "..."`` class
    attributes and ``Problem(status, "rule", ...)``."""
    return {m for bron in bronnen for pad in bron.rglob("*.py") if not any(u in pad.as_posix() for u in uitgezonderd)
            for m in _RULE_IN_CODE.findall(pad.read_text())}


class Regelboek:
    """A service's catalogue of its rules — ``{rule: (status, example detail[, extra])}`` —
    so that a route names the rules it can answer and nothing more::

        @router.post("/{traject_id}/schorsingen", responses=REGELS.weigert("traject-onbekend", "schorsing-overlapt"))
    """

    def __init__(self, regels: dict[str, tuple[Any, ...]]) -> None:
        self.regels = regels

    def weigert(self, *rules: str, **meer: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
        return weigert(*((self.regels[r][0], r, *self.regels[r][1:]) for r in rules), **meer)  # type: ignore[misc]


def afwijkingen(spec: dict[str, Any], bron: Path, regelboek: Regelboek | None = None, *,
                uitgezonderd: tuple[str, ...] = (), dynamisch: set[str] | frozenset[str] = frozenset()
                ) -> dict[str, set[str]]:
    """What keeps a service's OpenAPI document honest about its rules (its tests assert
    every set empty): rules raised under ``bron`` that no operation documents, documented
    rules that no code raises, and catalogue entries no code raises. ``uitgezonderd``: source
    paths outside the API document (an HTML dashboard); ``dynamisch``: rules the code builds
    (``rule=f"{soort}-onbekend"``), which a scan cannot see."""
    gedocumenteerd = {r for methods in spec.get("paths", {}).values() for op in methods.values()
                      for r in gedocumenteerde_regels(op)}
    in_code = regels_in_code(bron, uitgezonderd=uitgezonderd) | set(dynamisch)
    gedeeld = regels_in_code(Path(__file__).resolve().parents[1]) | ALGEMENE_REGELS
    return {
        "ongedocumenteerd": in_code - gedocumenteerd,
        "niet-in-code": gedocumenteerd - in_code - gedeeld,
        "catalogus-niet-in-code": set(regelboek.regels) - in_code if regelboek else set(),
    }


def samen(*responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Several ``responses=`` dicts as one: per status the content types and their examples
    are merged (a route with its own examples and ``REGELS.weigert(...)``)."""
    uit: dict[int | str, dict[str, Any]] = {}
    for r in responses:
        for status, response in r.items():
            doel = uit.setdefault(status, {})
            for key, value in response.items():
                if key != "content":
                    doel.setdefault(key, value)
                    continue
                for media, inhoud in value.items():
                    m = doel.setdefault("content", {}).setdefault(media, {})
                    for k, v in inhoud.items():
                        if k == "examples":
                            m.setdefault("examples", {}).update(v)
                        else:
                            m.setdefault(k, v)
    return uit


def zonder_voorbeeld(spec: dict[str, Any], media: str = "application/json") -> list[str]:
    """The 2xx answers (as ``METHOD path status``) whose ``media`` content has no example,
    neither on itself nor on the model it refers to (directly or as a list's items). The
    probes (/health, /ready, /metrics: no problem documents) are left out."""
    schemas = spec.get("components", {}).get("schemas", {})
    zonder = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            if "ProblemDocument" not in str(operation.get("responses", {})):
                continue
            for status, response in operation.get("responses", {}).items():
                inhoud = response.get("content", {}).get(media)
                if not status.startswith("2") or inhoud is None or "example" in inhoud or "examples" in inhoud:
                    continue
                schema = inhoud.get("schema", {})
                ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
                if ref is None or "examples" not in schemas.get(ref.rsplit("/", 1)[-1], {}):
                    zonder.append(f"{method.upper()} {path} {status}")
    return zonder


def zonder_voorbeeld_buiten_json(spec: dict[str, Any]) -> list[str]:
    """The answers (2xx) and request bodies in another media type than JSON — a CSV, a SEPA
    or bank XML file — that carry no example, as ``METHOD path status|body media``. Such
    content has no model to take an example from, so its operation must give one."""
    zonder = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            inhouden = [(status, response.get("content", {})) for status, response in
                        operation.get("responses", {}).items() if status.startswith("2")]
            inhouden.append(("body", operation.get("requestBody", {}).get("content", {})))
            for waar, content in inhouden:
                for media, inhoud in content.items():
                    if media not in ("application/json", MEDIA_TYPE) and "example" not in inhoud \
                            and "examples" not in inhoud:
                        zonder.append(f"{method.upper()} {path} {waar} {media}")
    return zonder


def _modellen(annotatie: Any) -> set[type]:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotatie, type) and issubclass(annotatie, BaseModel):
        return {annotatie}
    return {m for arg in get_args(annotatie) for m in _modellen(arg)}


def ongeldige_voorbeelden(app: Any) -> list[str]:
    """Every example of every response model of ``app``'s routes, validated against its own
    model: the ones that fail, with the reason."""
    contexten = [c for route in app.routes for c in (
        route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route])]
    modellen = {m for c in contexten for m in _modellen(getattr(c, "response_model", None))}
    modellen |= {m for c in contexten for r in (getattr(c, "responses", None) or {}).values()
                 for m in _modellen(r.get("model"))}
    assert modellen, "no response models found: the app's routes are not where this looks"
    fouten = []
    for model in modellen:
        extra = model.model_config.get("json_schema_extra")
        for voorbeeld in extra.get("examples", []) if isinstance(extra, dict) else []:
            try:
                model.model_validate(voorbeeld)
            except ValueError as exc:
                fouten.append(f"{model.__name__}: {exc}")
    return fouten


def herstel_voorbeelden(app: Any, schema: dict[str, Any]) -> None:
    """FastAPI writes its OpenAPI document with ``exclude_none``, which also drops an
    example's ``null`` values (``"organisator_id": null``), so the published example would
    lack a key the real answer has. Put back, as written, the examples of the models the
    routes answer or take and of the routes' own 2xx contents."""
    from fastapi.encoders import jsonable_encoder
    from pydantic import BaseModel

    schemas = schema.get("components", {}).get("schemas", {})
    for route in app.routes:
        for context in (route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]):
            modellen = set(_modellen(getattr(context, "response_model", None)))
            modellen |= {m for r in (getattr(context, "responses", None) or {}).values() for m in _modellen(r.get("model"))}
            dependant = getattr(context, "dependant", None)
            modellen |= {m for p in (dependant.body_params if dependant else []) for m in _modellen(p.field_info.annotation)}
            for model in modellen:
                extra = model.model_config.get("json_schema_extra") if issubclass(model, BaseModel) else None
                if isinstance(extra, dict) and "examples" in extra and "examples" in schemas.get(model.__name__, {}):
                    schemas[model.__name__]["examples"] = jsonable_encoder(extra["examples"])
            operaties = schema.get("paths", {}).get(getattr(context, "path_format", ""), {})
            for method in getattr(context, "methods", None) or ():
                for status, response in (getattr(context, "responses", None) or {}).items():
                    if not str(status).startswith("2"):
                        continue
                    gepubliceerd = operaties.get(method.lower(), {}).get("responses", {}).get(str(status), {})
                    for media, inhoud in response.get("content", {}).items():
                        doel = gepubliceerd.get("content", {}).get(media)
                        if doel is not None and "example" in inhoud:
                            doel["example"] = jsonable_encoder(inhoud["example"])
