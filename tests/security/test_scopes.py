"""The endpoint → scope table: generated from the routes, kept in the README, and walked
against the running services (no token → 401, every other scope → 403, own scope → in;
a token without a known org_type → 403 whatever its scopes)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from wijkwerk_platform import scopetabel
from wijkwerk_platform.testkit import VERKEERDE_ORGANISATIES

README = Path(__file__).resolve().parents[2] / "README.md"
ROWS = scopetabel.rijen()
GUARDED = [r for r in ROWS if r.scopes]
PATH_VALUES = {"periode": "2026-01", "serienummer": "WW-1", "uitgever": "vdab"}


def test_the_readme_carries_the_current_table():
    text = README.read_text(encoding="utf-8")
    current = text.split(scopetabel.BEGIN)[1].split(scopetabel.END)[0].strip()
    assert current == scopetabel.markdown(), "README scope table is stale: run python -m wijkwerk_platform.scopetabel"


def test_nothing_is_public_by_accident():
    public = {(r.service, r.path) for r in ROWS if not r.scopes and not r.path.startswith("/v1/webhooks/")}
    assert {path for _, path in public} <= scopetabel.PUBLIC


def _url(server_url: str, path: str) -> str:
    filled = path
    while "{" in filled:
        name = filled[filled.index("{") + 1 : filled.index("}")]
        filled = filled.replace("{" + name + "}", PATH_VALUES.get(name, str(uuid.uuid4())), 1)
    return server_url + filled


EVERY_SCOPE = sorted({s for r in ROWS for s in r.scopes})
# One client for the walk: httpx.request builds a client (and its TLS context) per call, ≈ 65 ms.
_KLANT = httpx.Client(trust_env=False)


@pytest.mark.integration
@pytest.mark.parametrize("row", GUARDED, ids=[f"{r.service} {r.method} {r.path}" for r in GUARDED])
def test_each_endpoint_needs_its_scope(row, servers, security_tokens):
    url = _url(servers[row.service].url, row.path)
    body = {} if row.method in ("POST", "PUT", "PATCH") else None

    def call(headers: dict, timeout: float = 10) -> httpx.Response:
        return _KLANT.request(row.method, url, json=body, headers=headers, timeout=timeout, follow_redirects=False)

    anonymous = call({})
    assert anonymous.status_code == 401, anonymous.text
    others = [s for s in EVERY_SCOPE if s not in row.scopes]
    refused = call(security_tokens.headers(*others, org_type="vdab"))
    assert (refused.status_code, refused.json()["rule"]) == (403, "scope-ontbreekt")
    # admitted, the call does its work (a recompute reads the whole history): more time; each
    # row's caller is another person: a four-eyes step (the payout approval) is not refused
    # for having been drawn up by the same subject in an earlier row
    admitted = call(security_tokens.headers(row.scopes[0], org_type="vdab", sub=f"scope-walk {row.method} {row.path}"),
                    timeout=60)
    assert admitted.status_code not in (401, 403), admitted.text


@pytest.mark.integration
@pytest.mark.parametrize("row", GUARDED, ids=[f"{r.service} {r.method} {r.path}" for r in GUARDED])
def test_each_endpoint_refuses_a_token_without_a_known_org_type(row, servers, security_tokens):
    """Fail closed: a token with every scope but an org_type the services do not know (left
    out, empty, another case, an organiser without its id, …) is refused with 403 and the
    rule, before any data is read or written. On main before issue #18 a token without
    org_type saw and changed every organisation's data."""
    url = _url(servers[row.service].url, row.path)
    body = {} if row.method in ("POST", "PUT", "PATCH") else None
    scope = " ".join(EVERY_SCOPE)
    with httpx.Client(timeout=10, trust_env=False) as client:
        def call(token: str) -> httpx.Response:
            return client.request(row.method, url, json=body, headers={"Authorization": f"Bearer {token}"},
                                  follow_redirects=False)

        for naam, claims, rule in VERKEERDE_ORGANISATIES:
            r = call(security_tokens.sign(**{"scope": scope} | claims))
            assert r.status_code == 403, (naam, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json"), naam
            assert r.json()["rule"] == rule, (naam, r.json())
        admitted = call(security_tokens.sign(scope=scope, org_type="vdab",  # the claim was the reason
                                             sub=f"org-type-walk {row.method} {row.path}"))
        assert admitted.status_code not in (401, 403), admitted.text
