"""Figure 4: a monthly evaluatie report over N prestaties in the read model
(``rm_prestaties``, bulk-loaded with COPY). Measured: RPT-02/03/05 (workers by group,
referrer and benefit status), RPT-06 (per gebruiker category) and RPT-09 (same job) for
one month, through :class:`evaluatie.adapters.maandrapporten.Maandrapporten`, as the API
runs them. Baseline: a bare ``count(*)`` of that month's rows (same index, same data)."""

from __future__ import annotations

import random
import time
import uuid
from datetime import date, timedelta

import asyncpg

WORKERS_PER_MILLION = 20_000
MONTHS = 12
START = date(2025, 1, 1)


async def load(dsn: str, n: int) -> None:
    rnd = random.Random(11)
    conn = await asyncpg.connect(dsn)
    try:
        organisatoren = [uuid.uuid4() for _ in range(20)]
        workers = [(uuid.uuid4(), rnd.choice(organisatoren)) for _ in range(max(1000, n * WORKERS_PER_MILLION // 1_000_000))]
        gebruikers = [uuid.uuid4() for _ in range(len(workers) * 2)]
        await conn.copy_records_to_table("rm_organisatoren", columns=["id", "naam", "samenwerkingsverband"],
                                         records=[(o, f"org {i}", f"swv {i % 5}") for i, o in enumerate(organisatoren)])
        await conn.copy_records_to_table(
            "rm_dossiers", columns=["wijkwerker_id", "organisator_id", "ex_pwa", "uitkeringsstatus", "ingeschreven_op"],
            records=[(w, o, i % 4 == 0, rnd.choice(["leefloon", "werkloos", "geen"]), START) for i, (w, o) in enumerate(workers)])
        await conn.copy_records_to_table(
            "rm_toeleidingen",
            columns=["toeleiding_id", "wijkwerker_id", "organisator_id", "toeleider_type", "ontvangen_op",
                     "uitkeringsstatus", "ex_pwa", "hertoeleiding"],
            records=[(uuid.uuid4(), w, o, rnd.choice(["VDAB", "OCMW"]), START, "werkloos", False, False)
                     for w, o in workers])
        categories = ["tuin", "klusjes", "poets", "school", "zorg"]
        days = MONTHS * 30

        def rows():
            for _ in range(n):
                w, o = workers[rnd.randrange(len(workers))]
                yield (uuid.uuid4(), w, gebruikers[rnd.randrange(len(gebruikers))], o, rnd.choice(categories),
                       rnd.choice(["particulier", "vzw", "school"]), START + timedelta(days=rnd.randrange(days)),
                       rnd.randint(1, 8), rnd.random() < 0.02)

        await conn.copy_records_to_table(
            "rm_prestaties",
            columns=["prestatie_id", "wijkwerker_id", "gebruiker_id", "organisator_id", "activiteit_categorie",
                     "gebruiker_categorie", "datum", "begonnen_uren", "geannuleerd"],
            records=rows())
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def run(stack, n: int, tag: str, repeats: int = 3) -> dict:
    from evaluatie.adapters.maandrapporten import Maandrapporten
    from wijkwerk.db.engine import create_engine, session_factory

    url = stack.database("evaluatie", f"evaluatie_bench_{tag}")
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    started = time.perf_counter()
    await load(dsn, n)
    load_s = time.perf_counter() - started
    van, tot = date(2025, 6, 1), date(2025, 6, 30)

    conn = await asyncpg.connect(dsn)
    try:
        await conn.fetchval("SELECT count(*) FROM rm_prestaties WHERE NOT geannuleerd AND datum BETWEEN $1 AND $2",
                            van, tot)  # warm the cache for both
        base = []
        for _ in range(repeats):
            t = time.perf_counter()
            await conn.fetchval("SELECT count(*) FROM rm_prestaties WHERE NOT geannuleerd AND datum BETWEEN $1 AND $2",
                                van, tot)
            base.append(time.perf_counter() - t)
    finally:
        await conn.close()

    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        took = []
        for _ in range(repeats):
            async with sessions() as session:
                r = Maandrapporten(session)
                t = time.perf_counter()
                await r.werkzame_wijkwerkers(van, tot, None)
                await r.gebruikerscategorieen(van, tot, None)
                await r.zelfde_klus(van, tot, None)
                took.append(time.perf_counter() - t)
    finally:
        await engine.dispose()
    return {"n": n, "report_s": min(took), "report_worst_s": max(took), "baseline_s": min(base), "load_s": load_s}
