"""Reports on work, gebruikers and money (DOMAIN §5: RPT-02/03/05/06/09, RPT-11..20, RPT-23, RPT-25).

Each returns plain rows (dicts) so the API can serve them as JSON and CSV alike.
"Accepted" prestaties are those not cancelled; persons are counted distinctly.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.domain.regio import provincie

_WERKZAAM = text(
    """
    WITH w AS (
        SELECT DISTINCT wijkwerker_id FROM rm_prestaties
        WHERE NOT geannuleerd AND datum BETWEEN :van AND :tot
          AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
    )
    SELECT CASE WHEN coalesce(d.ex_pwa, false) THEN 'ex_pwa' ELSE 'nieuw' END AS groep,
           coalesce(t.toeleider_type, 'onbekend') AS toeleider,
           coalesce(t.uitkeringsstatus, d.uitkeringsstatus, 'onbekend') AS uitkeringsstatus,
           count(*) AS wijkwerkers
    FROM w
    LEFT JOIN rm_dossiers d ON d.wijkwerker_id = w.wijkwerker_id
    LEFT JOIN LATERAL (
        SELECT toeleider_type, uitkeringsstatus FROM rm_toeleidingen r
        WHERE r.wijkwerker_id = w.wijkwerker_id ORDER BY r.ontvangen_op LIMIT 1
    ) t ON true
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    """
)

_CATEGORIEEN = text(
    """
    SELECT o.samenwerkingsverband, p.organisator_id, p.gebruiker_categorie,
           count(DISTINCT p.wijkwerker_id) AS wijkwerkers
    FROM rm_prestaties p LEFT JOIN rm_organisatoren o ON o.id = p.organisator_id
    WHERE NOT p.geannuleerd AND p.datum BETWEEN :van AND :tot
      AND (CAST(:organisator_id AS uuid) IS NULL OR p.organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY 1, 2, 3 ORDER BY 1, 3
    """
)

# RPT-06 per samenwerkingsverband: over all its organisers, a worker counted once per
# category (persons are distinct, DOMAIN §5).
_CATEGORIEEN_PER_VERBAND = text(
    """
    SELECT o.samenwerkingsverband, count(DISTINCT p.organisator_id) AS organisatoren, p.gebruiker_categorie,
           count(DISTINCT p.wijkwerker_id) AS wijkwerkers
    FROM rm_prestaties p JOIN rm_organisatoren o ON o.id = p.organisator_id
    WHERE NOT p.geannuleerd AND p.datum BETWEEN :van AND :tot
      AND (CAST(:organisator_id AS uuid) IS NULL OR p.organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY o.samenwerkingsverband, p.gebruiker_categorie ORDER BY 1, 3
    """
)

_ZELFDE_KLUS = text(
    """
    SELECT count(*) AS wijkwerkers, count(*) FILTER (WHERE categorieen = 1) AS zelfde_klus
    FROM (
        SELECT wijkwerker_id, count(DISTINCT activiteit_categorie) AS categorieen FROM rm_prestaties
        WHERE NOT geannuleerd AND datum BETWEEN :van AND :tot
          AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
        GROUP BY wijkwerker_id
    ) per_wijkwerker
    """
)

# G-5: active at month end E = signed by E, a paid period that started by E and whose
# validity (cut short by a stop) ends after E.
_ACTIEVE_ERKENNINGEN = """
    SELECT e.erkenning_id, e.gebruiker_id, e.organisator_id
    FROM rm_erkenningen e
    WHERE e.overeenkomst_op <= :einde
      AND EXISTS (
        SELECT 1 FROM rm_erkenning_perioden p
        WHERE p.erkenning_id = e.erkenning_id AND p.betaald_op <= :einde AND p.geldig_van <= :einde
          AND least(p.geldig_tot, coalesce(e.stopgezet_tot, p.geldig_tot)) > :einde
      )
"""

_ZONDER_PRESTATIES = text(
    f"""
    WITH actief AS ({_ACTIEVE_ERKENNINGEN}),
    gebruikers AS (
        SELECT DISTINCT a.gebruiker_id,
               -- per organiser on the erkenning level (RPT-11): a prestatie at that
               -- organiser; Flanders-wide: a prestatie anywhere
               EXISTS (SELECT 1 FROM rm_prestaties p
                       WHERE p.gebruiker_id = a.gebruiker_id AND NOT p.geannuleerd AND p.datum <= :einde
                         AND (CAST(:organisator_id AS uuid) IS NULL OR p.organisator_id = a.organisator_id))
               AS met_prestaties
        FROM actief a
        WHERE CAST(:organisator_id AS uuid) IS NULL OR a.organisator_id = CAST(:organisator_id AS uuid)
    )
    SELECT count(*) AS actieve_gebruikers, count(*) FILTER (WHERE NOT met_prestaties) AS zonder_prestaties
    FROM gebruikers
    """
)

_GEBRUIKERS_PER_MAAND = text(
    f"""
    WITH actief AS ({_ACTIEVE_ERKENNINGEN})
    SELECT o.id AS organisator_id, o.naam,
      (SELECT count(*) FROM rm_gebruikers g
        WHERE g.aangemeld_bij = o.id AND g.aangemeld_op BETWEEN :begin AND :einde) AS nieuwe_gebruikers,
      (SELECT count(*) FROM rm_erkenning_perioden p JOIN rm_erkenningen e USING (erkenning_id)
        WHERE e.organisator_id = o.id AND p.betaald_op BETWEEN :begin AND :einde) AS inschrijvingsrechten_betaald,
      (SELECT coalesce(sum(p.bedrag_cent), 0) FROM rm_erkenning_perioden p JOIN rm_erkenningen e USING (erkenning_id)
        WHERE e.organisator_id = o.id AND p.betaald_op BETWEEN :begin AND :einde) AS inschrijvingsrechten_cent,
      (SELECT count(*) FROM actief a WHERE a.organisator_id = o.id) AS actieve_erkenningen,
      (SELECT count(*) FROM actief a JOIN rm_gebruikers g USING (gebruiker_id)
        WHERE a.organisator_id = o.id AND g.geslacht = 'vrouw') AS actief_particulier_vrouw,
      (SELECT count(*) FROM actief a JOIN rm_gebruikers g USING (gebruiker_id)
        WHERE a.organisator_id = o.id AND g.geslacht = 'man') AS actief_particulier_man,
      (SELECT count(*) FROM rm_contacten c
        WHERE c.organisator_id = o.id AND c.datum BETWEEN :begin AND :einde) AS contacten,
      (SELECT count(DISTINCT c.gebruiker_id) FROM rm_contacten c
        WHERE c.organisator_id = o.id AND c.datum BETWEEN :begin AND :einde) AS gecontacteerde_gebruikers,
      (SELECT count(DISTINCT c.gebruiker_id) FROM rm_contacten c
        WHERE c.organisator_id = o.id AND c.datum BETWEEN :begin AND :einde
          AND EXISTS (SELECT 1 FROM actief a WHERE a.organisator_id = o.id AND a.gebruiker_id = c.gebruiker_id)
          AND NOT EXISTS (SELECT 1 FROM rm_prestaties p WHERE p.gebruiker_id = c.gebruiker_id
                          AND p.organisator_id = o.id AND NOT p.geannuleerd AND p.datum <= :einde)
      ) AS gecontacteerd_actief_zonder_prestaties,
      (SELECT count(DISTINCT a.gebruiker_id) FROM actief a WHERE a.organisator_id = o.id) AS actieve_gebruikers
    FROM rm_organisatoren o
    WHERE CAST(:organisator_id AS uuid) IS NULL OR o.id = CAST(:organisator_id AS uuid)
    ORDER BY o.naam
    """
)

_CHEQUES_PER_MAAND = text(
    """
    SELECT o.id AS organisator_id, o.naam, o.samenwerkingsverband,
      (SELECT coalesce(sum(b.aantal), 0) FROM rm_bestellingen b
        WHERE b.organisator_id = o.id AND b.besteld_op BETWEEN :begin AND :einde) AS cheques_gekocht,
      (SELECT coalesce(sum(b.totaal_cent), 0) FROM rm_bestellingen b
        WHERE b.organisator_id = o.id AND b.besteld_op BETWEEN :begin AND :einde) AS gekocht_cent,
      (SELECT coalesce(sum(b.aantal), 0) FROM rm_bestellingen b WHERE b.organisator_id = o.id
        AND b.drager = 'papier' AND b.besteld_op BETWEEN :begin AND :einde) AS cheques_gekocht_papier,
      (SELECT coalesce(sum(b.totaal_cent), 0) FROM rm_bestellingen b WHERE b.organisator_id = o.id
        AND b.drager = 'papier' AND b.besteld_op BETWEEN :begin AND :einde) AS gekocht_papier_cent,
      (SELECT coalesce(sum(b.aantal), 0) FROM rm_bestellingen b WHERE b.organisator_id = o.id
        AND b.drager = 'elektronisch' AND b.besteld_op BETWEEN :begin AND :einde) AS cheques_gekocht_elektronisch,
      (SELECT coalesce(sum(b.totaal_cent), 0) FROM rm_bestellingen b WHERE b.organisator_id = o.id
        AND b.drager = 'elektronisch' AND b.besteld_op BETWEEN :begin AND :einde) AS gekocht_elektronisch_cent,
      (SELECT count(*) FROM rm_cheques_gevalideerd c
        WHERE c.organisator_id = o.id AND c.prestatie_datum BETWEEN :begin AND :einde) AS gebruikt_per_prestatiemaand,
      v.gebruikt_per_validatiemaand, v.prijs_cent, v.wijkwerker_cent, v.verzekering_cent, v.reisfonds_cent,
      v.uitgever_cent, v.organisator_cent,
      (SELECT coalesce(sum(r.bedrag_cent), 0) FROM rm_reisvergoedingen r
        WHERE r.organisator_id = o.id AND r.gevalideerd_op BETWEEN :begin AND :einde) AS reisvergoeding_cent,
      x.cheques_vervallen, x.vervallen_cent, x.cheques_vervallen_voorraad, x.vervallen_voorraad_cent,
      t.cheques_terugbetaald, t.terugbetaald_cent
    FROM rm_organisatoren o
    CROSS JOIN LATERAL (
        -- Unused cheques refunded to the gebruiker in the month (issue #23: a refund request approved, or the
        -- issuer's refund), by the refund's date.
        SELECT count(*) AS cheques_terugbetaald, coalesce(sum(u.prijs_cent), 0) AS terugbetaald_cent
        FROM rm_cheques_uitgegeven u
        WHERE u.organisator_id = o.id AND u.terugbetaald_op BETWEEN :begin AND :einde
    ) t
    CROSS JOIN LATERAL (
        -- A-21: expired = neither used nor refunded by its last valid day; it expires the
        -- day after. In the month, and the whole expired stock at month end (still "bought").
        SELECT count(*) FILTER (WHERE u.geldig_tot >= CAST(:begin AS date) - 1) AS cheques_vervallen,
               coalesce(sum(u.prijs_cent) FILTER (WHERE u.geldig_tot >= CAST(:begin AS date) - 1), 0) AS vervallen_cent,
               count(*) AS cheques_vervallen_voorraad, coalesce(sum(u.prijs_cent), 0) AS vervallen_voorraad_cent
        FROM rm_cheques_uitgegeven u
        WHERE u.organisator_id = o.id AND u.geldig_tot < :einde
          AND (u.terugbetaald_op IS NULL OR u.terugbetaald_op > u.geldig_tot)
          AND NOT EXISTS (SELECT 1 FROM rm_cheques_gevalideerd g WHERE g.serienummer = u.serienummer)
    ) x
    CROSS JOIN LATERAL (
        SELECT count(*) AS gebruikt_per_validatiemaand, coalesce(sum(prijs_cent), 0) AS prijs_cent,
               coalesce(sum(wijkwerker_cent), 0) AS wijkwerker_cent, coalesce(sum(verzekering_cent), 0) AS verzekering_cent,
               coalesce(sum(reisfonds_cent), 0) AS reisfonds_cent, coalesce(sum(uitgever_cent), 0) AS uitgever_cent,
               coalesce(sum(organisator_cent), 0) AS organisator_cent
        FROM rm_cheques_gevalideerd c
        WHERE c.organisator_id = o.id AND c.gevalideerd_op BETWEEN :begin AND :einde
    ) v
    WHERE CAST(:organisator_id AS uuid) IS NULL OR o.id = CAST(:organisator_id AS uuid)
    ORDER BY o.naam
    """
)


# RPT-15 (b): distinct gebruikers with an active erkenning anywhere, and RPT-12's distinct
# gebruikers contacted, Flanders-wide (one gebruiker can hold erkenningen at several
# organisers, G-2, so these are not the sums of the organiser rows).
_GEBRUIKERS_VLAANDEREN = text(
    f"""
    WITH actief AS ({_ACTIEVE_ERKENNINGEN})
    SELECT (SELECT count(DISTINCT gebruiker_id) FROM actief
             WHERE CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
             AS actieve_gebruikers,
           (SELECT count(DISTINCT c.gebruiker_id) FROM rm_contacten c
             WHERE c.datum BETWEEN :begin AND :einde
               AND (CAST(:organisator_id AS uuid) IS NULL OR c.organisator_id = CAST(:organisator_id AS uuid)))
             AS gecontacteerde_gebruikers
    """
)

_GEMEENTEN = text(
    """
    SELECT d.domicilie_nis_code AS nis_code, count(DISTINCT p.wijkwerker_id) AS personen
    FROM rm_prestaties p JOIN rm_dossiers d ON d.wijkwerker_id = p.wijkwerker_id
    WHERE NOT p.geannuleerd AND p.datum BETWEEN :van AND :tot
      AND (CAST(:organisator_id AS uuid) IS NULL OR p.organisator_id = CAST(:organisator_id AS uuid))
    GROUP BY 1 ORDER BY 1
    """
)

_ONBEPERKT_RECHT = text(
    """
    SELECT count(*) AS met_onbeperkt_recht,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM rm_prestaties p WHERE p.wijkwerker_id = d.wijkwerker_id AND NOT p.geannuleerd
                 AND p.datum BETWEEN :sinds AND :op)) AS gewerkt_sinds_start,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM rm_trajecten t WHERE t.wijkwerker_id = d.wijkwerker_id AND t.start <= :op
                 AND coalesce(t.werkelijk_einde, t.gepland_einde, 'infinity'::date) >= :op)) AS nog_in_wijkwerken
    FROM rm_dossiers d
    WHERE d.onbeperkt_recht AND d.ingeschreven_op <= :op
      AND (CAST(:organisator_id AS uuid) IS NULL OR d.organisator_id = CAST(:organisator_id AS uuid))
    """
)

# RPT-19: per level its own distinct count. Province rows are summed from the domicile
# rows by the caller: every worker has one domicile, so those sums stay distinct.
_WERKZAAM_PER_NIVEAU = text(
    """
    WITH w AS (
        SELECT DISTINCT wijkwerker_id, organisator_id FROM rm_prestaties
        WHERE NOT geannuleerd AND datum BETWEEN :van AND :tot
          AND (CAST(:organisator_id AS uuid) IS NULL OR organisator_id = CAST(:organisator_id AS uuid))
    )
    SELECT CASE WHEN GROUPING(d.domicilie_nis_code) = 0 THEN 'gemeente'
                WHEN GROUPING(o.samenwerkingsverband) = 0 THEN 'samenwerkingsverband'
                WHEN GROUPING(w.organisator_id) = 0 THEN 'organisator' ELSE 'vlaanderen' END AS niveau,
           d.domicilie_nis_code AS nis_code, o.samenwerkingsverband, w.organisator_id, o.naam,
           count(DISTINCT w.wijkwerker_id) AS wijkwerkers,
           count(DISTINCT w.wijkwerker_id) FILTER (WHERE coalesce(d.ex_pwa, false)) AS ex_pwa
    FROM w
    LEFT JOIN rm_dossiers d ON d.wijkwerker_id = w.wijkwerker_id
    LEFT JOIN rm_organisatoren o ON o.id = w.organisator_id
    GROUP BY GROUPING SETS ((), (d.domicilie_nis_code), (o.samenwerkingsverband), (w.organisator_id, o.naam))
    """
)

_IN_TRAJECT = text(
    """
    SELECT count(*) FROM rm_trajecten t
    WHERE t.start <= :einde AND coalesce(t.werkelijk_einde, t.gepland_einde, 'infinity'::date) >= :einde
      AND (CAST(:organisator_id AS uuid) IS NULL OR t.organisator_id = CAST(:organisator_id AS uuid))
    """
)


_NIVEAUS = ("vlaanderen", "provincie", "samenwerkingsverband", "organisator")


def _werkzaam(niveau: str, organisator_id, naam: str | None, wijkwerkers: int, ex_pwa: int) -> dict:
    return {"niveau": niveau, "organisator_id": organisator_id, "naam": naam or "onbekend",
            "wijkwerkers": wijkwerkers, "ex_pwa": ex_pwa, "nieuw": wijkwerkers - ex_pwa,
            "aandeel_ex_pwa": round(ex_pwa / wijkwerkers, 4) if wijkwerkers else None}


class Maandrapporten:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, statement, **params) -> list[dict]:
        return [dict(r._mapping) for r in await self.session.execute(statement, params)]

    async def werkzame_wijkwerkers(self, van: date, tot: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-02/03/05: distinct workers with an accepted prestatie in [van, tot], by group
        (ex-PWA/new), referrer of their first referral and benefit status at referral."""
        return await self._rows(_WERKZAAM, van=van, tot=tot, organisator_id=organisator_id)

    async def gebruikerscategorieen(self, van: date, tot: date, organisator_id: uuid.UUID | None,
                                    per_verband: bool = False) -> list[dict]:
        """RPT-06: distinct workers per gebruiker category per organiser, or per
        samenwerkingsverband over all its organisers (A-18)."""
        statement = _CATEGORIEEN_PER_VERBAND if per_verband else _CATEGORIEEN
        return await self._rows(statement, van=van, tot=tot, organisator_id=organisator_id)

    async def zelfde_klus(self, van: date, tot: date, organisator_id: uuid.UUID | None) -> dict:
        """RPT-09 (A-17): workers whose prestaties all fall under one activity category."""
        return (await self._rows(_ZELFDE_KLUS, van=van, tot=tot, organisator_id=organisator_id))[0]

    async def zonder_prestaties(self, einde: date, organisator_id: uuid.UUID | None) -> dict:
        """RPT-11: active gebruikers (G-5) without any accepted prestatie up to month end;
        for one organiser on the erkenning level: its active erkenningen without a prestatie
        at that organiser (a gebruiker working only elsewhere counts as without)."""
        return (await self._rows(_ZONDER_PRESTATIES, einde=einde, organisator_id=organisator_id))[0]

    async def gebruikers(self, begin: date, einde: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-12/13/14/15 for one month, per organiser."""
        return await self._rows(_GEBRUIKERS_PER_MAAND, begin=begin, einde=einde, organisator_id=organisator_id)

    async def gebruikers_vlaanderen(self, begin: date, einde: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-12/13/14/15 for one month in one row: the organiser rows summed, except the
        distinct gebruikers (active, contacted), counted once however many organisers they
        hold an erkenning with (RPT-15 b, G-2)."""
        rijen = await self.gebruikers(begin, einde, organisator_id)
        som = {k: sum(r[k] for r in rijen) for k in (rijen[0] if rijen else {}) if k not in ("organisator_id", "naam")}
        distinct = (await self._rows(_GEBRUIKERS_VLAANDEREN, begin=begin, einde=einde, organisator_id=organisator_id))[0]
        return [{**som, **distinct}]

    async def cheques(self, begin: date, einde: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-16/17/18 for one month, per organiser: bought, used by prestatie month and by
        validation month, expired in the month and the expired stock at month end (A-21),
        and the money split by validation month."""
        return await self._rows(_CHEQUES_PER_MAAND, begin=begin, einde=einde, organisator_id=organisator_id)

    async def gemeenten(self, van: date, tot: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-20: persons with an accepted prestatie in the period, per domicile municipality."""
        return await self._rows(_GEMEENTEN, van=van, tot=tot, organisator_id=organisator_id)

    async def werkzaam_per_niveau(self, van: date, tot: date, organisator_id: uuid.UUID | None) -> list[dict]:
        """RPT-19: distinct workers with an accepted prestatie in [van, tot], ex-PWA vs new,
        for Flanders (left out when limited to one organiser), per province of the
        domicile, per samenwerkingsverband and per organiser."""
        per_provincie: dict[str, list[int]] = {}
        rijen = []
        for r in await self._rows(_WERKZAAM_PER_NIVEAU, van=van, tot=tot, organisator_id=organisator_id):
            niveau = r["niveau"]
            if niveau == "gemeente":
                som = per_provincie.setdefault(provincie(r["nis_code"]), [0, 0])
                som[0] += r["wijkwerkers"]
                som[1] += r["ex_pwa"]
            elif niveau != "vlaanderen" or organisator_id is None:
                naam = {"vlaanderen": "Vlaanderen", "samenwerkingsverband": r["samenwerkingsverband"],
                        "organisator": r["naam"]}[niveau]
                rijen.append(_werkzaam(niveau, r["organisator_id"], naam, r["wijkwerkers"], r["ex_pwa"]))
        rijen += [_werkzaam("provincie", None, naam, n, x) for naam, (n, x) in per_provincie.items()]
        return sorted(rijen, key=lambda r: (_NIVEAUS.index(r["niveau"]), r["naam"]))

    async def onbeperkt_recht(self, sinds: date, op: date, organisator_id: uuid.UUID | None) -> dict:
        """RPT-23: ex-PWA workers with the unlimited right (T-4): how many worked at least an
        hour since ``sinds``, and how many are still in a trajectory on ``op``."""
        return (await self._rows(_ONBEPERKT_RECHT, sinds=sinds, op=op, organisator_id=organisator_id))[0]

    async def in_traject(self, einde: date, organisator_id: uuid.UUID | None) -> int:
        """Workers in a running trajectory at a month end (RPT-25)."""
        return await self.session.scalar(_IN_TRAJECT, {"einde": einde, "organisator_id": organisator_id})
