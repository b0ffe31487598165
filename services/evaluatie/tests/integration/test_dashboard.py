"""The ops dashboard's data on a real PostgreSQL (issue #23 item 8): the chosen period and
organiser, each chart's figures as CSV, the month's money split, what is due as of the
period's last day, and the data scope of an organiser. The browser side (drawing, titles
clear of the toolbars) is in tests/e2e/test_dashboard.py."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta

import pytest

from wijkwerk.events import cheques as c
from wijkwerk.events import toeleiding as t

pytestmark = pytest.mark.integration

A, B = uuid.uuid4(), uuid.uuid4()
LEZER = "rapportering:read"


def _cheque(org: uuid.UUID, gevalideerd: date) -> c.ChequeGevalideerd:
    return c.ChequeGevalideerd(
        serienummer=uuid.uuid4().hex[:12], bestelling_id=uuid.uuid4(), prestatie_id=uuid.uuid4(),
        koppeling_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), gebruiker_id=uuid.uuid4(), organisator_id=org,
        drager="papier", prijs_cent=745, besteld_op=date(2026, 1, 2), prestatie_datum=gevalideerd,
        gevalideerd_op=gevalideerd, boekmaand=gevalideerd.replace(day=1), wijkwerker_cent=410, verzekering_cent=42,
        reisfonds_cent=10, uitgever_cent=58, organisator_cent=225,
    )


@pytest.fixture
async def wereld(env, fold):
    _, engine = env
    traject, wid = uuid.uuid4(), uuid.uuid4()
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="SA", gemeenten=()),
        t.OrganisatorGeregistreerd(organisator_id=B, naam="Wijk-werken B", samenwerkingsverband="SB", gemeenten=()),
        # ended 2025-12-31: its 3-month outflow point is 2026-03-31
        t.TrajectGestart(traject_id=traject, toeleiding_id=uuid.uuid4(), wijkwerker_id=wid, organisator_id=A,
                         start=date(2025, 1, 1), gepland_einde=date(2025, 12, 31), max_einde=None),
        t.TrajectBeeindigd(traject_id=traject, wijkwerker_id=wid, organisator_id=A, einde=date(2025, 12, 31),
                           reden="einde_advies"),
        _cheque(A, date(2026, 3, 20)), _cheque(A, date(2026, 3, 25)), _cheque(A, date(2026, 4, 8)),
        _cheque(B, date(2026, 3, 21)),
        t.WijkwerkerIngeschreven(wijkwerker_id=wid, organisator_id=A, domicilie_nis_code="31005",
                                 uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False,
                                 ingeschreven_op=date(2025, 1, 1)),
        # March's run (made in April): two payouts of A's worker, returned by the bank in April and May
        *(c.UitbetalingUitgevoerd(wijkwerker_id=wid, periode="2026-03", bedrag_cent=bedrag, uitgevoerd_op=date(2026, 4, 2),
                                  end_to_end_id=f"WW-2026-03-{i}", boekmaand=date(2026, 3, 1))
          for i, bedrag in enumerate((820, 410))),
        *(c.UitbetalingTeruggeboekt(wijkwerker_id=wid, periode="2026-03", bedrag_cent=bedrag, end_to_end_id=f"WW-2026-03-{i}",
                                    bron="camt.054", reden="AC04", bankdatum=bankdatum, boekmaand=bankdatum.replace(day=1))
          for i, bedrag, bankdatum in ((1, 410, date(2026, 4, 9)), (0, 820, date(2026, 5, 6)))),
    )
    return wid


def _csv(tekst: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(tekst)))


async def test_a_chart_as_csv_has_a_row_per_month_of_the_period_with_the_charts_figures(env, tokens, wereld):
    client, _ = env
    h = tokens.headers(LEZER, org_type="vdab")
    r = await client.get("/dashboard/grafieken/geld.csv", params={"van": "2026-02", "tot": "2026-04"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="geld-vlaanderen-2026-02-2026-04.csv"' in r.headers["content-disposition"]
    rijen = _csv(r.text)
    assert [rij["maand"] for rij in rijen] == ["2026-02", "2026-03", "2026-04"]
    # March: A's two cheques and B's one; April: A's one (euro per share, RPT-18)
    assert [rij["wijkwerker"] for rij in rijen] == ["0.00", "12.30", "4.10"]
    assert [rij["organisator"] for rij in rijen] == ["0.00", "6.75", "2.25"]
    alleen_a = _csv((await client.get("/dashboard/grafieken/geld.csv", headers=h, params={
        "van": "2026-03", "tot": "2026-03", "organisator_id": str(A)})).text)
    assert [(rij["maand"], rij["wijkwerker"]) for rij in alleen_a] == [("2026-03", "8.20")]


async def test_the_page_shows_the_period_the_months_split_and_what_is_due_as_of_its_last_day(env, tokens, wereld):
    client, _ = env
    h = tokens.headers(LEZER, org_type="organisator", org=str(A))
    maart = await client.get(f"/dashboard/organisatoren/{A}", params={"van": "2026-01", "tot": "2026-03"}, headers=h)
    assert maart.status_code == 200, maart.text
    pagina = maart.text
    assert 'value="2026-01"' in pagina and 'value="2026-03"' in pagina and "stand op 2026-03-31" in pagina
    # March's split of A's two cheques: 2 x 4.10 to the worker ... 2 x 7.45 in all
    deel = pagina[pagina.index('id="verdeling"'):pagina.index('id="te-doen"')]
    assert "<td>wijkwerker</td><td>8.20</td>" in deel and "<td>totaal</td><td>14.90</td>" in deel
    # the 3-month outflow point (2026-03-31) is reached on the page's as-of date ...
    assert '<td id="metingen-te-doen">1</td>' in pagina and str(wereld) in pagina
    # ... and not yet a month earlier: only facts and points up to the period's end count
    februari = (await client.get(f"/dashboard/organisatoren/{A}", params={"tot": "2026-02"}, headers=h)).text
    assert '<td id="metingen-te-doen">0</td>' in februari and 'value="2025-03"' in februari
    # the page for March shows February's run (none); for April, March's run made on
    # 2026-04-02, with the return of 2026-04-09 but not yet the one of 2026-05-06
    assert '<td id="uitbetaald-aantal">0</td>' in pagina
    april = (await client.get(f"/dashboard/organisatoren/{A}", params={"tot": "2026-04"}, headers=h)).text
    assert "Uitbetalingen van 2026-03" in april and '<td id="uitbetaald-aantal">2</td>' in april
    assert '<td id="teruggeboekt-aantal">1</td>' in april and "<td>12.30</td>" in april and "<td>4.10</td>" in april
    b_april = (await client.get(f"/dashboard/organisatoren/{B}", params={"tot": "2026-04"},
                            headers=tokens.headers(LEZER, org_type="organisator", org=str(B)))).text
    assert '<td id="uitbetaald-aantal">0</td>' in b_april  # A's worker's payouts are not B's
    # every chart links its CSV for the same period and organiser
    assert f"/dashboard/grafieken/uren.csv?van=2026-01&amp;tot=2026-03&amp;organisator_id={A}" in pagina


async def test_an_organiser_sees_only_its_own_page_and_figures_and_bad_periods_are_refused(env, tokens, wereld):
    client, _ = env
    h = tokens.headers(LEZER, org_type="organisator", org=str(A))
    for pad, params in ((f"/dashboard/organisatoren/{B}", {}),
                        ("/dashboard/grafieken/geld.csv", {"organisator_id": str(B)}),
                        ("/dashboard/grafieken/geld.csv", {})):  # Flanders-wide figures
        r = await client.get(pad, params=params, headers=h)
        assert r.status_code == 404, (pad, params, r.text)
        assert r.json()["rule"] in ("organisator-onbekend", "dashboard-onbekend")
    r = await client.get("/dashboard/grafieken/taart.csv", params={"organisator_id": str(A)}, headers=h)
    assert (r.status_code, r.json()["rule"]) == (404, "grafiek-onbekend")
    for params, rule in (({"van": "2026-04", "tot": "2026-03"}, "periode-ongeldig"),
                         ({"van": "2026-4"}, "periode-ongeldig"),
                         ({"van": "2020-01", "tot": "2026-03"}, "periode-te-lang")):
        r = await client.get(f"/dashboard/organisatoren/{A}", params=params, headers=h)
        assert (r.status_code, r.json()["rule"]) == (422, rule), params


async def test_the_pipelines_show_the_partners_webhooks_of_the_organiser_and_what_to_do(
        env, tokens, wereld, leveringen, verzender):
    from evaluatie.service_layer.bezorging import Beleid, bezorg
    from wijkwerk.db import session_factory

    client, engine = env
    await leveringen(3, A)
    # one delivered, one given up after its only attempt, one still pending
    assert await bezorg(session_factory(engine), Beleid(batch=2, max_pogingen=1), verzender=verzender(1)) == 2
    pagina = (await client.get(f"/dashboard/organisatoren/{A}", headers=tokens.headers(
        LEZER, org_type="organisator", org=str(A)))).text
    for veld, aantal in (("wachtend", 1), ("mislukt", 1), ("geleverd", 1)):
        assert f'<td id="webhooks-{veld}">{aantal}</td>' in pagina, veld
    assert "WijkwerkOutboundWebhooksFailing" in pagina
    b = (await client.get(f"/dashboard/organisatoren/{B}", headers=tokens.headers(
        LEZER, org_type="organisator", org=str(B)))).text
    assert '<td id="webhooks-mislukt">0</td>' in b and "WijkwerkOutboundWebhooksFailing" not in b


async def test_what_is_due_counts_every_trajectory_and_lists_the_first_due(env, tokens, fold):
    """The counts are of all trajectories due (not of the rows a page lists): 12 overdue and
    2 due within a month; the list shows the 10 due first."""
    client, engine = env
    org = uuid.uuid4()
    starts = [date(2025, 1, 1) + timedelta(days=i) for i in range(12)] + [date(2025, 10, 10), date(2025, 10, 20)]
    await fold(engine, t.OrganisatorGeregistreerd(organisator_id=org, naam="Veel", samenwerkingsverband="S", gemeenten=()),
               *(t.TrajectGestart(traject_id=uuid.uuid4(), toeleiding_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(),
                                  organisator_id=org, start=start, gepland_einde=date(2026, 12, 31), max_einde=None)
                 for start in starts))
    h = tokens.headers(LEZER, org_type="organisator", org=str(org))
    pagina = (await client.get(f"/dashboard/organisatoren/{org}", params={"tot": "2026-03"}, headers=h)).text
    # as of 2026-03-31: started in January 2025 → first evaluation due in July 2025 (overdue);
    # started 2025-10-10 / -20 → due 2026-04-10 / -20 (within a month)
    assert '<td id="evaluaties-achterstallig">12</td>' in pagina
    assert '<td id="evaluaties-binnen-maand">2</td>' in pagina
    lijst = pagina[pagina.index("<th>evaluatie op</th>"):pagina.index("<th>meting na</th>")]
    assert lijst.count("achterstallig") == 10 and "2025-07-01" in lijst and "2025-07-12" not in lijst
