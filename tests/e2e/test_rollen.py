"""`wijkwerk up` runs every service as its application role (issue #18): the databases
belong to the owner roles, the services' sessions log in as `<service>_app`, and a change
made through the API is in the service's audit trail with the principal that made it."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest

from wijkwerk_platform.cli.services import SERVICES
from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e


async def _rollen(port: int) -> tuple[dict[str, str], dict[str, set[str]]]:
    conn = await asyncpg.connect(host="127.0.0.1", port=port, user="postgres", database="postgres")
    try:
        eigenaars = dict(await conn.fetch(
            "SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = ANY($1::text[])",
            [s.name for s in SERVICES]))
        sessies = await conn.fetch(
            "SELECT datname, usename FROM pg_stat_activity WHERE datname = ANY($1::text[]) "
            "AND application_name = datname", [s.name for s in SERVICES])
    finally:
        await conn.close()
    per_dienst: dict[str, set[str]] = {}
    for datname, usename in sessies:
        per_dienst.setdefault(datname, set()).add(usename)
    return eigenaars, per_dienst


def test_services_connect_as_their_application_role_and_audit_their_changes(system):
    eigenaars, sessies = asyncio.run(_rollen(system.pg_port))
    assert eigenaars == {s.name: s.owner_role for s in SERVICES}
    assert sessies == {s.name: {s.app_role} for s in SERVICES}  # relays, consumers, API: none as owner

    headers = system.tokens.headers("toeleiding:admin", sub="e2e-beheerder")
    r = httpx.post(system.url("toeleiding") + "/v1/organisatoren", headers=headers, timeout=10, json={
        "naam": "Wijk-werken Rollen", "samenwerkingsverband": "R", "gemeenten": [{"nis_code": "36015", "naam": "Roeselare"}],
        "tarief": "5.95", "tarief_vanaf": "2018-01-01"})
    assert r.status_code == 201, r.text
    trail = httpx.get(system.url("toeleiding") + "/v1/audit", params={"subject": "e2e-beheerder"},
                      headers=system.tokens.headers("audit:lezen"), timeout=10).json()
    assert "OrganisatorGeregistreerd" in {rij["handeling"] for rij in trail}
    # the event reached the other services with its actor; their inboxes are not audit rows
    wait_until(lambda: httpx.get(system.url("prestaties") + f"/v1/organisatoren/{r.json()['id']}",
                                 headers=system.tokens.headers("prestaties:read"), timeout=5).status_code == 200,
               timeout=30)
