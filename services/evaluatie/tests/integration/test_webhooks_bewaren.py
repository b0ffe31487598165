"""The delivery log's retention on a real PostgreSQL (issue #23 item 6, ADR 0018): finished
deliveries older than the period go with their attempts, pending ones stay however old,
and outside the retention job the attempts stay append-only."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from evaluatie.service_layer.bezorging import Beleid, bezorg, ruim_op
from wijkwerk.db import session_factory

pytestmark = pytest.mark.integration

BEHEER = "webhooks:beheer"


async def _tel(engine, sql: str) -> int:
    async with engine.connect() as c:
        return int(await c.scalar(text(sql)))


async def test_finished_deliveries_past_the_period_go_with_their_attempts_and_pending_ones_stay(
        env, tokens, leveringen, verzender):
    client, engine = env
    org = uuid.uuid4()
    headers = tokens.headers(BEHEER, org_type="organisator", org=str(org))
    abonnement = await leveringen(6, org)
    sessions = session_factory(engine)
    # 3 delivered, then 1 given up (one attempt allowed), 2 left pending (never attempted)
    assert await bezorg(sessions, Beleid(batch=4, max_pogingen=1), verzender=verzender(3)) == 4
    async with engine.begin() as c:
        # all six are 100 days old, except one delivered one that is recent
        await c.execute(text("UPDATE leveringen SET aangemaakt_om = now() - interval '100 days'"))
        await c.execute(text("UPDATE leveringen SET aangemaakt_om = now() - interval '10 days' WHERE id = "
                             "(SELECT id FROM leveringen WHERE status = 'geleverd' ORDER BY id LIMIT 1)"))
    assert await _tel(engine, "SELECT count(*) FROM leveringspogingen") == 4

    assert await ruim_op(sessions, bewaar_dagen=90, batch=1) == 3  # 2 delivered + 1 given up, one per transaction

    async with engine.connect() as c:
        over = dict((await c.execute(text("SELECT status, count(*) FROM leveringen GROUP BY status"))).all())
    assert over == {"geleverd": 1, "wachtend": 2}
    assert await _tel(engine, "SELECT count(*) FROM leveringspogingen") == 1
    log = await client.get(f"/v1/abonnementen/{abonnement}/leveringen", headers=headers)
    assert log.status_code == 200, log.text
    assert sorted(r["status"] for r in log.json()) == ["geleverd", "wachtend", "wachtend"]
    assert await ruim_op(sessions, bewaar_dagen=90) == 0  # nothing left to do: the same answer again


async def test_outside_the_retention_job_attempts_stay_append_only(env, leveringen, verzender):
    _, engine = env
    await leveringen(1, uuid.uuid4())
    sessions = session_factory(engine)
    await bezorg(sessions, Beleid(batch=1), verzender=verzender(1))
    for poging in ("DELETE FROM leveringspogingen", "UPDATE leveringspogingen SET fout = 'anders'"):
        with pytest.raises(DBAPIError, match="permission denied"):  # the service's role: SELECT, INSERT only
            async with engine.begin() as c:
                await c.execute(text(poging))
    async with engine.begin() as c:  # the job never touches a pending delivery, however old
        await c.execute(text("UPDATE leveringen SET status = 'wachtend', aangemaakt_om = now() - interval '1 year'"))
    assert await ruim_op(sessions, bewaar_dagen=1) == 0
    assert await _tel(engine, "SELECT count(*) FROM leveringspogingen") == 1
