"""The ops dashboard in a real browser: charts render with data (DOM and pixels)."""

from __future__ import annotations

import httpx
import pytest
from PIL import Image

from wijkwerk.testing import wait_until

pytestmark = pytest.mark.e2e

PLOTLY_FIRST_COLOUR = (0x63, 0x6E, 0xFA)  # the first trace of plotly's default template


def _post(system, path: str, body: dict, headers: dict) -> dict:
    r = httpx.post(system.url("toeleiding") + path, json=body, headers=headers, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def test_the_dashboard_draws_the_monthly_series_and_the_pipelines(system, browser, tmp_path):
    h = system.tokens.headers("toeleiding:admin", "toeleiding:read", "toeleiding:write", "rapportering:read")
    org = _post(system, "/v1/organisatoren", {
        "naam": "Wijk-werken Perspectief", "samenwerkingsverband": "Perspectief", "tarief": "7.45",
        "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": "35013", "naam": "Oostende"}],
    }, h)
    from datetime import date, timedelta

    from wijkwerk.demo.identiteit import insz

    start = date.today().replace(day=1) - timedelta(days=40)
    for i in range(6):
        w = _post(system, "/v1/wijkwerkers", {
            "insz": insz(date(1970 + i, 5, 17), i), "voornaam": "Test", "achternaam": f"Persoon{i}",
            "domicilie_nis_code": "35013", "organisator_id": org["id"], "uitkeringsstatus": "leefloon",
            "vdab_ingeschreven": True, "iban": "BE68539007547034", "ingeschreven_op": str(start),
        }, h)
        _post(system, "/v1/toeleidingen", {
            "wijkwerker_id": w["id"], "organisator_id": org["id"], "toeleider_type": ["VDAB", "OCMW"][i % 2],
            "advies_maanden": 12, "ontvangen_op": str(start + timedelta(days=i * 7)),
        }, h)

    def seen() -> bool:
        r = httpx.get(system.url("evaluatie") + "/v1/rapporten/dossiers", headers=h, timeout=5)
        return r.status_code == 200 and r.json()["totaal"] >= 6

    wait_until(seen, timeout=30)

    # Prestaties and cheques through the public APIs and the issuer's signed webhooks (the
    # demo world at its smallest), so the hours and money charts have something to draw.
    from dateutil.relativedelta import relativedelta

    from wijkwerk.demo import run_demo

    run_demo({s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}, scale=0.01, seed=11,
             private_key=system.tokens.private_key)
    maanden = {"van": f"{date.today() - relativedelta(months=11):%Y-%m}", "tot": f"{date.today():%Y-%m}"}

    def geld_gezien() -> bool:
        r = httpx.get(system.url("evaluatie") + "/v1/rapporten/cheques", params=maanden, headers=h, timeout=10)
        return r.status_code == 200 and sum(x["gebruikt_per_validatiemaand"] for x in r.json()["rijen"]) > 0

    wait_until(geld_gezien, timeout=30)
    token = system.tokens.mint("rapportering:read", org_type="vdab")
    url = system.url("evaluatie") + f"/dashboard/login?token={token}"
    shot = tmp_path / "dashboard.png"
    dom = browser(url, tmp_path / "profile", screenshot=shot)

    assert "Wijk-werken Vlaanderen" in dom and "Wijk-werken Perspectief" in dom
    assert dom.count('class="main-svg"') >= 6, "plotly did not draw the charts"
    # bars and markers are drawn as .point paths only when a trace has data
    assert dom.count('class="point"') >= 5
    # the hours (RPT-06) and the cheque money split (RPT-18) per month are drawn with data
    for grafiek, volgende in (("uren", "geld"), ("geld", "pijplijnen")):
        deel = dom[dom.index(f'id="{grafiek}"'):dom.index(f'id="{volgende}"')]
        assert deel.count('class="point"') >= 1, f"the {grafiek} chart has no bars"
    for service in ("toeleiding", "prestaties", "cheques", "evaluatie"):
        assert f"<td>{service}" in dom
    assert '<span class="onbereikbaar">' not in dom

    image = Image.open(shot).convert("RGB")
    pixels = sum(1 for p in image.getdata() if all(abs(a - b) <= 6 for a, b in zip(p, PLOTLY_FIRST_COLOUR)))
    assert pixels > 500, f"only {pixels} pixels in the first trace colour: the charts are empty"


def test_the_dashboard_refuses_without_a_token_and_scopes_organisers(system):
    assert httpx.get(system.url("evaluatie") + "/dashboard", timeout=5).status_code == 401
    other = system.tokens.headers("rapportering:read", org="00000000-0000-0000-0000-000000000001", org_type="organisator")
    r = httpx.get(system.url("evaluatie") + "/dashboard/organisatoren/00000000-0000-0000-0000-000000000002",
                  headers=other, timeout=5)
    assert r.status_code == 404
    referrer = system.tokens.headers("rapportering:read", org="ocmw-oostende", org_type="toeleider")
    assert httpx.get(system.url("evaluatie") + "/dashboard", headers=referrer, timeout=5).status_code == 404
