"""RPT-19 built from events: workers with at least one hour in a calendar year, ex-PWA vs
new, for Flanders and per province, samenwerkingsverband and organiser. The expected
figures are worked out by hand from the world below."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from wijkwerk.events import prestaties as p
from wijkwerk.events import toeleiding as t
from wijkwerk_platform.testkit import prestatie_geregistreerd

pytestmark = pytest.mark.integration

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _organisator(oid, naam: str, verband: str) -> t.OrganisatorGeregistreerd:
    return t.OrganisatorGeregistreerd(organisator_id=oid, naam=naam, samenwerkingsverband=verband, gemeenten=())


def _dossier(ex_pwa: bool, nis: str) -> tuple[uuid.UUID, t.WijkwerkerIngeschreven]:
    wid = uuid.uuid4()
    return wid, t.WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=A, domicilie_nis_code=nis,
                                         uitkeringsstatus="volledig_werkzoekend", ex_pwa=ex_pwa,
                                         onbeperkt_recht=False, ingeschreven_op=date(2024, 1, 1))


def _prestatie(wid, oid, dag: date):
    return prestatie_geregistreerd(wijkwerker_id=wid, organisator_id=oid, datum=dag)


@pytest.fixture
async def wereld(env, fold):
    _, engine = env
    w1, d1 = _dossier(True, "36015")   # Roeselare (West-Vlaanderen), ex-PWA: works at A, then at B
    w2, d2 = _dossier(False, "36015")  # Roeselare, new: A
    w3, d3 = _dossier(False, "44021")  # Gent (Oost-Vlaanderen), new: C
    w4, d4 = _dossier(True, "31005")   # Brugge, ex-PWA: worked only in 2025
    w5, d5 = _dossier(False, "11002")  # Antwerpen, new: its only prestatie was cancelled
    w6, d6 = _dossier(True, "38014")   # Koksijde (West-Vlaanderen), ex-PWA: C on 31 December
    geannuleerd = _prestatie(w5, C, date(2026, 5, 5))
    await fold(
        engine,
        _organisator(A, "Wijk-werken Midwest A", "Midwest"), _organisator(B, "Wijk-werken Midwest B", "Midwest"),
        _organisator(C, "Wijk-werken Westhoek", "Westhoek"), d1, d2, d3, d4, d5, d6,
        _prestatie(w1, A, date(2026, 2, 3)), _prestatie(w1, A, date(2026, 2, 4)), _prestatie(w1, B, date(2026, 9, 1)),
        _prestatie(w2, A, date(2026, 1, 1)), _prestatie(w3, C, date(2026, 6, 6)), _prestatie(w4, C, date(2025, 12, 31)),
        geannuleerd,
        p.PrestatieGeannuleerd(prestatie_id=geannuleerd.prestatie_id, wijkwerker_id=w5, gebruiker_id=geannuleerd.gebruiker_id,
                               organisator_id=C, koppeling_id=geannuleerd.koppeling_id, datum=geannuleerd.datum,
                               door="organisator", begonnen_uren=1, reden="dubbel"),
        _prestatie(w6, C, date(2026, 12, 31)),
    )


def _per_naam(body: dict) -> dict[tuple[str, str], tuple[int, int, int, float | None]]:
    return {(r["niveau"], r["naam"]): (r["wijkwerkers"], r["ex_pwa"], r["nieuw"], r["aandeel_ex_pwa"])
            for r in body["rijen"]}


async def test_rpt19_counts_each_worker_once_per_level(env, tokens, wereld):
    client, _ = env
    r = await client.get("/v1/rapporten/werkzame-wijkwerkers-per-jaar", params={"jaar": 2026},
                         headers=tokens.headers("rapportering:read"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rapport"] == "RPT-19" and body["berekend_op"]
    # 2026: w1, w2, w3, w6 (w4 worked in 2025, w5's prestatie was cancelled); w1 counts once
    # in Midwest although it worked at A and at B, so the organiser rows add up to 5.
    assert _per_naam(body) == {
        ("vlaanderen", "Vlaanderen"): (4, 2, 2, 0.5),
        ("provincie", "Oost-Vlaanderen"): (1, 0, 1, 0.0),
        ("provincie", "West-Vlaanderen"): (3, 2, 1, 0.6667),
        ("samenwerkingsverband", "Midwest"): (2, 1, 1, 0.5),
        ("samenwerkingsverband", "Westhoek"): (2, 1, 1, 0.5),
        ("organisator", "Wijk-werken Midwest A"): (2, 1, 1, 0.5),
        ("organisator", "Wijk-werken Midwest B"): (1, 1, 0, 1.0),
        ("organisator", "Wijk-werken Westhoek"): (2, 1, 1, 0.5),
    }
    assert [r["niveau"] for r in body["rijen"]][:2] == ["vlaanderen", "provincie"]

    vorig = (await client.get("/v1/rapporten/werkzame-wijkwerkers-per-jaar", params={"jaar": 2025},
                              headers=tokens.headers("rapportering:read"))).json()
    assert _per_naam(vorig)[("vlaanderen", "Vlaanderen")] == (1, 1, 0, 1.0)  # w4 in Brugge


async def test_rpt19_for_an_organiser_only_its_own_workers_and_as_csv(env, tokens, wereld):
    client, _ = env
    eigen = tokens.headers("rapportering:read", org=str(C), org_type="organisator")
    body = (await client.get("/v1/rapporten/werkzame-wijkwerkers-per-jaar",
                             params={"jaar": 2026, "organisator_id": str(A)}, headers=eigen)).json()
    assert body["parameters"]["organisator_id"] == str(C)
    assert _per_naam(body) == {
        ("provincie", "Oost-Vlaanderen"): (1, 0, 1, 0.0),
        ("provincie", "West-Vlaanderen"): (1, 1, 0, 1.0),
        ("samenwerkingsverband", "Westhoek"): (2, 1, 1, 0.5),
        ("organisator", "Wijk-werken Westhoek"): (2, 1, 1, 0.5),
    }
    csv = await client.get("/v1/rapporten/werkzame-wijkwerkers-per-jaar", params={"jaar": 2026, "format": "csv"},
                           headers=tokens.headers("rapportering:read"))
    lines = csv.text.splitlines()
    assert lines[0] == "niveau,organisator_id,naam,wijkwerkers,ex_pwa,nieuw,aandeel_ex_pwa"
    assert lines[1] == "vlaanderen,,Vlaanderen,4,2,2,0.5"
    referrer = tokens.headers("rapportering:read", org="ocmw-gent", org_type="toeleider")
    niets = (await client.get("/v1/rapporten/werkzame-wijkwerkers-per-jaar", params={"jaar": 2026},
                              headers=referrer)).json()
    assert niets["rijen"] == []
