"""Issue #23 item 4 on a real PostgreSQL: cheques' flag events folded into the read model;
the dashboard's review queue shows the flags open on the page's as-of date (amount, rule,
worker, what to do), only the organiser's own; the monthly figures flagged / held /
released / rejected as CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import pytest

from wijkwerk.events import cheques as c
from wijkwerk.events import toeleiding as t

pytestmark = pytest.mark.integration

A, B = uuid.uuid4(), uuid.uuid4()
LEZER = "rapportering:read"


def _gemeld(org: uuid.UUID, datum: date, bedrag: int, regel: str = "overlappende-uren") -> c.SignaalGemeld:
    return c.SignaalGemeld(signaal_id=uuid.uuid4(), prestatie_id=uuid.uuid4(), regel=regel, wijkwerker_id=uuid.uuid4(),
                           gebruiker_id=uuid.uuid4(), organisator_id=org, datum=datum, bedrag_cent=bedrag,
                           toelichting="overlaps prestatie X")


def _besloten(g: c.SignaalGemeld, soort, op: date):
    velden = g.model_dump(exclude={"toelichting"})
    return soort(**velden, besloten_op=op, door="ops-vdab", reden="nagekeken")


async def test_the_review_queue_and_the_monthly_figures_of_flags(env, fold, tokens):
    client, engine = env
    open_, vrij, af, ander = (_gemeld(A, date(2026, 3, 2), 1530), _gemeld(A, date(2026, 3, 5), 820),
                              _gemeld(A, date(2026, 3, 9), 410, "te-veel-uren-op-een-dag"),
                              _gemeld(B, date(2026, 3, 3), 999))
    await fold(
        engine,
        t.OrganisatorGeregistreerd(organisator_id=A, naam="Wijk-werken A", samenwerkingsverband="SA", gemeenten=()),
        t.OrganisatorGeregistreerd(organisator_id=B, naam="Wijk-werken B", samenwerkingsverband="SB", gemeenten=()),
        open_, vrij, af, ander,
        _besloten(vrij, c.SignaalVrijgegeven, date(2026, 4, 2)), _besloten(af, c.SignaalAfgewezen, date(2026, 3, 20)),
    )
    h = tokens.headers(LEZER, org_type="organisator", org=str(A))
    maart = (await client.get(f"/dashboard/organisatoren/{A}", params={"van": "2026-02", "tot": "2026-03"},
                              headers=h)).text
    wachtrij = maart[maart.index('id="fraudesignalen"'):maart.index('id="te-doen"')]
    assert wachtrij.count('class="signaal"') == 2  # open on 2026-03-31: the open one and the one released in April
    assert '<span id="signalen-open">2</span>)' in wachtrij  # counted in the database, not capped
    assert str(open_.wijkwerker_id) in wachtrij and "15.30" in wachtrij and "vrijgeven" in wachtrij
    assert str(ander.wijkwerker_id) not in wachtrij and str(af.signaal_id) not in wachtrij
    r = await client.get("/dashboard/grafieken/signalen.csv", headers=h,
                         params={"van": "2026-03", "tot": "2026-04", "organisator_id": str(A)})
    assert r.status_code == 200, r.text
    rijen = list(csv.DictReader(io.StringIO(r.text)))
    assert rijen == [
        {"maand": "2026-03", "gemeld": "27.60", "vastgehouden": "23.50", "vrijgegeven": "0.00", "afgewezen": "4.10"},
        {"maand": "2026-04", "gemeld": "0.00", "vastgehouden": "15.30", "vrijgegeven": "8.20", "afgewezen": "0.00"},
    ]
