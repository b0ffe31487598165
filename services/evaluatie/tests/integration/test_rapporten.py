"""Reports built from events folded by the real projection handlers on a real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, ToeleidingOntvangen, WijkwerkerIngeschreven

pytestmark = pytest.mark.integration


def _organisator(naam: str) -> OrganisatorGeregistreerd:
    return OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam=naam, samenwerkingsverband=naam, gemeenten=())


def _toeleiding(organisator, advies: int | None, op: date) -> ToeleidingOntvangen:
    return ToeleidingOntvangen(
        toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), organisator_id=organisator.organisator_id,
        toeleider_type="VDAB", advies_maanden=advies, ontvangen_op=op, uitkeringsstatus="volledig_werkzoekend",
        ex_pwa=advies is None, onbeperkt_recht=advies is None,
    )


async def test_rpt07_counts_referrals_by_advice_in_the_period(env, tokens, fold):
    client, engine = env
    a, b = _organisator("A"), _organisator("B")
    advice = [12, 12, 12, 6, None]
    await fold(engine, a, b, *[_toeleiding(a, m, date(2026, 3, 1)) for m in advice],
                _toeleiding(b, 3, date(2026, 3, 5)), _toeleiding(a, 12, date(2025, 12, 31)))
    r = await client.get("/v1/rapporten/advies", params={"van": "2026-01-01", "tot": "2026-12-31"},
                         headers=tokens.headers("rapportering:read"))
    body = r.json()
    assert {row["advies_maanden"]: row["toeleidingen"] for row in body["rijen"]} == {3: 1, 6: 1, 12: 3, None: 1}
    assert body["totaal"] == 6 and body["aandeel_12_maanden"] == round(3 / 6, 4)

    own = tokens.headers("rapportering:read", org=str(b.organisator_id), org_type="organisator")
    scoped = (await client.get("/v1/rapporten/advies", params={"van": "2026-01-01", "tot": "2026-12-31"}, headers=own)).json()
    assert scoped["totaal"] == 1 and scoped["organisator_id"] == str(b.organisator_id)


async def test_rpt01_counts_dossiers_per_organiser_up_to_a_date(env, tokens, fold):
    client, engine = env
    a = _organisator("A")

    def dossier(op: date) -> WijkwerkerIngeschreven:
        return WijkwerkerIngeschreven(
            wijkwerker_id=uuid.uuid4(), organisator_id=a.organisator_id, domicilie_nis_code="31005",
            uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False, ingeschreven_op=op,
        )

    await fold(engine, a, dossier(date(2026, 1, 1)), dossier(date(2026, 2, 1)), dossier(date(2026, 3, 1)))
    r = await client.get("/v1/rapporten/dossiers", params={"tot_en_met": "2026-02-28"},
                         headers=tokens.headers("rapportering:read"))
    assert r.json()["totaal"] == 2


async def test_rpt01_splits_closed_dossiers_from_active_or_provisional(env, tokens, fold):
    from wijkwerk.events.toeleiding import TrajectBeeindigd, TrajectGestart

    client, engine = env
    a = _organisator("A")
    dossiers = [
        WijkwerkerIngeschreven(wijkwerker_id=uuid.uuid4(), organisator_id=a.organisator_id, domicilie_nis_code="31005",
                               uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False,
                               ingeschreven_op=date(2026, 1, 1))
        for _ in range(4)
    ]
    def traject(d, start, einde):
        tid = uuid.uuid4()
        events = [TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=d.wijkwerker_id,
                                 organisator_id=a.organisator_id, start=start, gepland_einde=date(2026, 12, 31), max_einde=None)]
        if einde:
            events.append(TrajectBeeindigd(traject_id=tid, wijkwerker_id=d.wijkwerker_id,
                                           organisator_id=a.organisator_id, einde=einde, reden="gestopt"))
        return events

    # 0: no trajectory (voorlopig) · 1: running (actief) · 2: ended 31 March (afgesloten from 1 April)
    # 3: ended, then re-referred from 1 June (afgesloten in April, active again in June)
    await fold(engine, a, *dossiers,
               *traject(dossiers[1], date(2026, 1, 10), None),
               *traject(dossiers[2], date(2026, 1, 10), date(2026, 3, 31)),
               *traject(dossiers[3], date(2026, 1, 10), date(2026, 2, 28)),
               *traject(dossiers[3], date(2026, 6, 1), None))
    async def report(dag: str) -> dict:
        r = await client.get("/v1/rapporten/dossiers", params={"tot_en_met": dag}, headers=tokens.headers("rapportering:read"))
        return r.json()

    march, april, june = await report("2026-03-31"), await report("2026-04-30"), await report("2026-06-30")
    assert (march["totaal"], march["totaal_actief_of_voorlopig"]) == (4, 3)
    assert (april["totaal"], april["totaal_actief_of_voorlopig"]) == (4, 2)
    assert (june["totaal_actief_of_voorlopig"], june["aandeel_actief_of_voorlopig"]) == (3, 0.75)


async def test_rpt01_a_suspended_dossier_stays_actief_at_month_end(env, tokens, fold):
    """A-22: suspended from 20 March to 10 April, the dossier is actief at the end of March."""
    from wijkwerk.events.toeleiding import OvereenkomstGetekend, TrajectGeschorst, TrajectGestart

    client, engine = env
    a, wid, tid = _organisator("A"), uuid.uuid4(), uuid.uuid4()
    await fold(
        engine, a,
        WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=a.organisator_id, domicilie_nis_code="31005",
                               uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False,
                               ingeschreven_op=date(2026, 1, 1)),
        TrajectGestart(traject_id=tid, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=a.organisator_id,
                       start=date(2026, 1, 10), gepland_einde=date(2026, 7, 9), max_einde=date(2027, 1, 9)),
        OvereenkomstGetekend(traject_id=tid, wijkwerker_id=wid, organisator_id=a.organisator_id,
                             getekend_op=date(2026, 1, 10)),
        TrajectGeschorst(traject_id=tid, wijkwerker_id=wid, van=date(2026, 3, 20), tot=date(2026, 4, 10),
                         reden="ziekte met attest", gepland_einde=date(2026, 7, 31), max_einde=date(2027, 1, 31)),
    )
    r = await client.get("/v1/rapporten/dossiers", params={"tot_en_met": "2026-03-31"},
                         headers=tokens.headers("rapportering:read"))
    assert (r.json()["totaal"], r.json()["totaal_actief"]) == (1, 1)
