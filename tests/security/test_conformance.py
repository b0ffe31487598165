"""HTTP conformance the fuzzing found (issue #21, item 15), for every service, in-process:
a 405 names every method of the path in ``Allow`` (RFC 9110 §15.5.6); a date parameter is
ISO ``YYYY-MM-DD`` only (``?op=0`` is not 1 January 1970); no schema says ``format: time``
for a local time (OpenAPI's ``time`` is RFC 3339 full-time, with an offset); every POST
documents the ``Idempotency-Key`` header. Nothing here reaches a database."""

from __future__ import annotations

import importlib
import json
import re
import uuid

import httpx
import pytest
from starlette.routing import compile_path

from wijkwerk_platform.testkit import Tokens

from .conftest import ALL_SCOPES, FUZZED_SERVICES

SERVICES = FUZZED_SERVICES


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("conformance-keys"))


def _app(service: str, tokens: Tokens):
    api = importlib.import_module(f"{service}.entrypoints.api")
    config = importlib.import_module(f"{service}.config")
    return api.create_app(config.Settings(run_workers=False, auth=tokens.auth_settings()))


def _spec(service: str) -> dict:
    api = importlib.import_module(f"{service}.entrypoints.api")
    config = importlib.import_module(f"{service}.config")
    return api.create_app(config.Settings(run_workers=False)).openapi()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "2026-01-05" if "vanaf" in m.group() else str(uuid.uuid4()), path)


async def _call(app, method: str, path: str, headers: dict, **kw) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.request(method, path, headers=headers, **kw)


@pytest.mark.parametrize("service", SERVICES)
async def test_a_405_names_every_method_of_the_path(service, tokens):
    app, spec = _app(service, tokens), _spec(service)
    templates = {p: {m.upper() for m in ops} for p, ops in spec["paths"].items()}
    headers = tokens.headers(*ALL_SCOPES, org_type="vdab")
    for template in templates:
        path = _concrete(template)
        expected = sorted({m for t, ms in templates.items() if compile_path(t)[0].match(path) for m in ms})
        r = await _call(app, "PATCH", path, headers)
        assert (r.status_code, r.json()["rule"]) == (405, "methode-niet-toegestaan"), (template, r.text)
        assert r.headers["allow"] == ", ".join(expected), template


def _date_params(spec: dict):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                schema = p.get("schema", {})
                if "date" in {schema.get("format"), *(s.get("format") for s in schema.get("anyOf", []))}:
                    yield method.upper(), path, p["in"], p["name"]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_date_parameter_is_iso_only(service, tokens):
    app, spec = _app(service, tokens), _spec(service)
    headers = tokens.headers(*ALL_SCOPES, org_type="vdab")
    params = list(_date_params(spec))
    assert params or service == "toeleiding"
    for method, path, where, name in params:
        for wrong in ("0", "1767225600", "2026-01-05T00:00:00", "20260105", "2026-02-30", "5/1/2026"):
            if where == "path" and "/" in wrong:
                continue  # another path altogether
            concrete = _concrete(path)
            if where == "path":
                concrete = path.replace("{" + name + "}", wrong)
                concrete = _concrete(concrete)
            query = {name: wrong} if where == "query" else None
            r = await _call(app, method, concrete, headers, params=query, json={} if method != "GET" else None)
            assert (r.status_code, r.json()["rule"]) == (422, "datum-ongeldig"), (method, path, name, wrong, r.text)


async def test_a_bad_date_from_a_caller_without_token_or_scope_is_401_or_403(tokens):
    """Authentication first, as for any other invalid parameter."""
    app = _app("prestaties", tokens)
    path = f"/v1/wijkwerkers/{uuid.uuid4()}/uren"
    assert (await _call(app, "GET", path, {}, params={"op": "0"})).status_code == 401
    r = await _call(app, "GET", path, tokens.headers("cheques:read"), params={"op": "0"})
    assert (r.status_code, r.json()["rule"]) == (403, "scope-ontbreekt")


@pytest.mark.parametrize("service", SERVICES)
def test_no_schema_declares_a_local_time_as_format_time(service):
    spec = _spec(service)
    assert '"format": "time"' not in json.dumps(spec)


def test_a_prestatie_start_is_a_local_time_that_matches_its_own_answers():
    spec = _spec("prestaties")
    start = spec["components"]["schemas"]["PrestatieOut"]["properties"]["start"]
    assert start["format"] == "partial-time"
    assert re.match(start["pattern"], "09:00:00") and re.match(start["pattern"], "09:00")
    assert not re.match(start["pattern"], "09:00:00+01:00")


@pytest.mark.parametrize("service", SERVICES)
def test_every_post_documents_the_idempotency_key(service):
    spec = _spec(service)
    for path, ops in spec["paths"].items():
        if "post" not in ops:
            continue
        names = {p["name"] for p in ops["post"].get("parameters", [])}
        assert ("Idempotency-Key" in names) != path.startswith("/v1/webhooks/"), path
        if "Idempotency-Key" in names:
            assert "Retry-After" in ops["post"]["responses"]["409"]["headers"], path
