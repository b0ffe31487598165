"""PR-23 / RPT-24: VDAB records bemiddelaar FTE per organiser through the API; trajectories
and prestaties come from events; workers per FTE and the O-2 norm are worked out by hand."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from wijkwerk.events import prestaties as p
from wijkwerk.events import toeleiding as t
from wijkwerk_platform.testkit import prestatie_geregistreerd

pytestmark = pytest.mark.integration

A, B = uuid.uuid4(), uuid.uuid4()
VDAB = ("evaluatie:write", "evaluatie:read", "rapportering:read")


def _traject(oid, start: date, einde: date | None = None) -> tuple[uuid.UUID, list]:
    wid, tid = uuid.uuid4(), uuid.uuid4()
    events = [t.TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=oid,
                               start=start, gepland_einde=date(2026, 12, 31), max_einde=None)]
    if einde:
        events.append(t.TrajectBeeindigd(traject_id=tid, wijkwerker_id=wid, organisator_id=oid, einde=einde,
                                         reden="gestopt"))
    return wid, events


def _prestatie(wid, oid, dag: date):
    return prestatie_geregistreerd(wijkwerker_id=wid, organisator_id=oid, datum=dag)


@pytest.fixture
async def wereld(env, fold):
    _, engine = env
    a1, e1 = _traject(A, date(2026, 1, 10))
    a2, e2 = _traject(A, date(2026, 2, 1), einde=date(2026, 3, 15))
    a3, e3 = _traject(A, date(2026, 3, 1))
    _, e4 = _traject(A, date(2026, 4, 1))
    b1, e5 = _traject(B, date(2026, 1, 1))
    geannuleerd = _prestatie(a3, A, date(2026, 3, 20))
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken Midwest", samenwerkingsverband="Midwest", gemeenten=()),
        t.OrganisatorGeregistreerd(organisator_id=B, naam="Wijk-werken Westhoek", samenwerkingsverband="Westhoek", gemeenten=()),
        *e1, *e2, *e3, *e4, *e5,
        _prestatie(a1, A, date(2026, 3, 5)), _prestatie(a1, A, date(2026, 3, 6)), _prestatie(a2, A, date(2026, 3, 10)),
        geannuleerd,
        p.PrestatieGeannuleerd(prestatie_id=geannuleerd.prestatie_id, wijkwerker_id=a3, gebruiker_id=geannuleerd.gebruiker_id,
                               organisator_id=A, koppeling_id=geannuleerd.koppeling_id, datum=geannuleerd.datum,
                               door="organisator", begonnen_uren=1, reden="dubbel"),
        _prestatie(b1, B, date(2026, 3, 3)),
    )


async def _inzet(client, tokens, oid, vanaf: str, body: dict, **claims):
    return await client.put(f"/v1/organisatoren/{oid}/bemiddelaarsinzet/{vanaf}", json=body,
                            headers=tokens.headers(*VDAB, **claims))


CIJFERS = ("fte", "inwoners", "norm_fte", "wijkwerkers_in_traject", "wijkwerkers_per_fte", "werkzame_wijkwerkers",
           "werkzame_per_fte")


async def _caseload(client, tokens, **claims) -> dict:
    r = await client.get("/v1/rapporten/caseload", params={"van": "2026-02", "tot": "2026-03"},
                         headers=tokens.headers("rapportering:read", **claims))
    assert r.status_code == 200, r.text
    return r.json()


def _rijen(body: dict) -> dict:
    return {(r["maand"], r["naam"]): tuple(r[c] for c in CIJFERS) for r in body["rijen"]}


async def test_rpt24_workers_per_fte_against_the_o2_norm(env, tokens, wereld):
    client, _ = env
    assert (await _inzet(client, tokens, A, "2026-01-01", {"fte": "0.40", "inwoners": 50000})).status_code == 200
    assert (await _inzet(client, tokens, A, "2026-03-01", {"fte": "0.50", "inwoners": 50000})).status_code == 200
    gecorrigeerd = await _inzet(client, tokens, A, "2026-03-01", {"fte": 0.8, "inwoners": 50000})  # corrects it
    assert [(r["geldig_vanaf"], r["fte"]) for r in gecorrigeerd.json()] == [("2026-01-01", 0.4), ("2026-03-01", 0.8)]

    body = await _caseload(client, tokens)
    # A: norm 0.2 × ⌈(50,000 − 12,000) / 12,000⌉ = 0.2 × 4 = 0.8 FTE.
    # February: a1 and a2 in a trajectory on the 28th, 0.4 FTE → 5.0; nobody worked.
    # March: a1 and a3 on the 31st (a2 ended on the 15th), 0.8 FTE → 2.5; a1 and a2 worked
    # (a3's only prestatie was cancelled) → 2.5. B has no FTE recorded: no ratio.
    assert _rijen(body) == {
        ("2026-02", "Vlaanderen"): (0.4, 50000, 0.8, 3, None, 0, None),
        ("2026-02", "Wijk-werken Midwest"): (0.4, 50000, 0.8, 2, 5.0, 0, 0.0),
        ("2026-02", "Wijk-werken Westhoek"): (None, None, None, 1, None, 0, None),
        ("2026-03", "Vlaanderen"): (0.8, 50000, 0.8, 3, None, 3, None),
        ("2026-03", "Wijk-werken Midwest"): (0.8, 50000, 0.8, 2, 2.5, 2, 2.5),
        ("2026-03", "Wijk-werken Westhoek"): (None, None, None, 1, None, 1, None),
    }
    assert body["totalen"] == {"o2_fte_vlaanderen": 100.0, "organisatoren_zonder_fte": {"2026-02": 1, "2026-03": 1}}

    # Once B has 0.25 FTE from March (norm: ⌈18,000 / 12,000⌉ = 2 slices → 0.4), Flanders
    # gets a March ratio: 3 workers / 1.05 FTE = 2.9, for both counts.
    assert (await _inzet(client, tokens, B, "2026-03-01", {"fte": "0.25", "inwoners": 30000})).status_code == 200
    maart = _rijen(await _caseload(client, tokens))
    assert maart[("2026-03", "Wijk-werken Westhoek")] == (0.25, 30000, 0.4, 1, 4.0, 1, 4.0)
    assert maart[("2026-03", "Vlaanderen")] == (1.05, 80000, 1.2, 3, 2.9, 3, 2.9)
    assert maart[("2026-02", "Vlaanderen")][4] is None

    eigen = await _caseload(client, tokens, org=str(B), org_type="organisator")
    assert {(r["maand"], r["naam"]) for r in eigen["rijen"]} == {("2026-02", "Wijk-werken Westhoek"),
                                                                   ("2026-03", "Wijk-werken Westhoek")}
    csv = await client.get("/v1/rapporten/caseload", params={"van": "2026-03", "tot": "2026-03", "format": "csv"},
                           headers=tokens.headers("rapportering:read"))
    assert csv.text.splitlines()[1] == "2026-03,vlaanderen,,Vlaanderen,,1.05,80000,1.2,3,2.9,3,2.9"


async def test_only_vdab_records_bemiddelaar_fte_for_a_known_organiser(env, tokens, wereld):
    client, _ = env
    door_organisator = await _inzet(client, tokens, A, "2026-01-01", {"fte": "1.00"}, org=str(A), org_type="organisator")
    assert (door_organisator.status_code, door_organisator.json()["rule"]) == (403, "alleen-vdab")
    onbekend = await _inzet(client, tokens, uuid.uuid4(), "2026-01-01", {"fte": "1.00"})
    # Not (yet) known from toeleiding's events: retryable, not a refusal (issue #21, item 9).
    assert (onbekend.status_code, onbekend.json()["rule"], onbekend.headers["retry-after"]) == (
        409, "organisator-nog-onbekend", "2")
    for fout in ({"fte": "1.234"}, {"fte": "-1"}, {"fte": "1", "extra": 1}, {"inwoners": 5}):
        assert (await _inzet(client, tokens, A, "2026-01-01", fout)).status_code == 422, fout
    assert (await _inzet(client, tokens, A, "2026-01-01", {"fte": "1.00"})).status_code == 200

    historiek = await client.get(f"/v1/organisatoren/{A}/bemiddelaarsinzet",
                                 headers=tokens.headers("rapportering:read", org=str(A), org_type="organisator"))
    [rij] = historiek.json()
    assert (rij["fte"], rij["inwoners"], rij["geldig_vanaf"]) == (1.0, None, "2026-01-01")
    ander = await client.get(f"/v1/organisatoren/{A}/bemiddelaarsinzet",
                             headers=tokens.headers("rapportering:read", org=str(B), org_type="organisator"))
    assert ander.status_code == 404
