"""Read models of work and money: prestaties, gebruikers and erkenningen (prestaties
topic) and validated cheques (cheques topic). Idempotent writes; the inbox already
skips duplicates, so these only guard against replays into a rebuilt model."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_SQL = {
    "prestatie": """INSERT INTO rm_prestaties (prestatie_id, wijkwerker_id, gebruiker_id, organisator_id,
                        activiteit_categorie, gebruiker_categorie, datum, begonnen_uren)
                    VALUES (:prestatie_id, :wijkwerker_id, :gebruiker_id, :organisator_id,
                        :activiteit_categorie, :gebruiker_categorie, :datum, :begonnen_uren)
                    ON CONFLICT DO NOTHING""",
    "correctie": "UPDATE rm_prestaties SET begonnen_uren = :begonnen_uren WHERE prestatie_id = :prestatie_id",
    "annulering": "UPDATE rm_prestaties SET geannuleerd = true WHERE prestatie_id = :prestatie_id",
    "gebruiker": """INSERT INTO rm_gebruikers (gebruiker_id, categorie, geslacht, aangemeld_op, aangemeld_bij)
                    VALUES (:gebruiker_id, :categorie, :geslacht, :aangemeld_op, :aangemeld_bij)
                    ON CONFLICT DO NOTHING""",
    "erkenning": """INSERT INTO rm_erkenningen (erkenning_id, gebruiker_id, organisator_id, overeenkomst_op)
                    VALUES (:erkenning_id, :gebruiker_id, :organisator_id, :overeenkomst_op)
                    ON CONFLICT DO NOTHING""",
    "periode": """INSERT INTO rm_erkenning_perioden (erkenning_id, geldig_van, geldig_tot)
                  VALUES (:erkenning_id, :geldig_van, :geldig_tot) ON CONFLICT DO NOTHING""",
    "ondertekend": "UPDATE rm_erkenningen SET overeenkomst_op = :overeenkomst_op WHERE erkenning_id = :erkenning_id",
    "betaald": """INSERT INTO rm_erkenning_perioden (erkenning_id, geldig_van, geldig_tot, betaald_op, bedrag_cent)
                  VALUES (:erkenning_id, :geldig_van, :geldig_tot, :betaald_op, :bedrag_cent)
                  ON CONFLICT (erkenning_id, geldig_van)
                  DO UPDATE SET betaald_op = excluded.betaald_op, bedrag_cent = excluded.bedrag_cent""",
    "stopgezet": "UPDATE rm_erkenningen SET stopgezet_tot = :einde WHERE erkenning_id = :erkenning_id",
    "contact": """INSERT INTO rm_contacten (contact_id, gebruiker_id, organisator_id, datum, kanaal, reden)
                  VALUES (:contact_id, :gebruiker_id, :organisator_id, :datum, :kanaal, :reden)
                  ON CONFLICT DO NOTHING""",
    "bestelling": """INSERT INTO rm_bestellingen (bestelling_id, organisator_id, drager, aantal, totaal_cent, besteld_op)
                     VALUES (:bestelling_id, :organisator_id, :drager, :aantal, :totaal_cent, :besteld_op)
                     ON CONFLICT DO NOTHING""",
    # A cheque's latest validation wins, whatever order the partitions deliver them in: a
    # released cheque may pay another worker's prestatie (another partition) before the
    # reversal of its earlier validation arrives.
    "cheque": """INSERT INTO rm_cheques_gevalideerd (serienummer, organisator_id, wijkwerker_id, drager, prestatie_datum,
                     gevalideerd_op, prijs_cent, wijkwerker_cent, verzekering_cent, reisfonds_cent, uitgever_cent,
                     organisator_cent, validatie)
                 VALUES (:serienummer, :organisator_id, :wijkwerker_id, :drager, :prestatie_datum, :gevalideerd_op,
                     :prijs_cent, :wijkwerker_cent, :verzekering_cent, :reisfonds_cent, :uitgever_cent,
                     :organisator_cent, :validatie)
                 ON CONFLICT (serienummer) DO UPDATE SET organisator_id = excluded.organisator_id,
                     wijkwerker_id = excluded.wijkwerker_id, drager = excluded.drager,
                     prestatie_datum = excluded.prestatie_datum, gevalideerd_op = excluded.gevalideerd_op,
                     prijs_cent = excluded.prijs_cent, wijkwerker_cent = excluded.wijkwerker_cent,
                     verzekering_cent = excluded.verzekering_cent, reisfonds_cent = excluded.reisfonds_cent,
                     uitgever_cent = excluded.uitgever_cent, organisator_cent = excluded.organisator_cent,
                     validatie = excluded.validatie
                 WHERE rm_cheques_gevalideerd.validatie < excluded.validatie""",
    "cheque_teruggedraaid": """DELETE FROM rm_cheques_gevalideerd WHERE serienummer = :serienummer
                     AND validatie = :validatie""",
    # every issued cheque with its last valid day, for the expired stock (RPT-16/17).
    "uitgegeven": """INSERT INTO rm_cheques_uitgegeven (serienummer, organisator_id, prijs_cent, uitgegeven_op, geldig_tot)
                     SELECT unnest(CAST(:serienummers AS text[])), :organisator_id, :prijs_cent, :uitgegeven_op,
                         :geldig_tot
                     ON CONFLICT DO NOTHING""",
    "terugbetaald": """UPDATE rm_cheques_uitgegeven SET terugbetaald_op = :terugbetaald_op
                       WHERE serienummer = :serienummer""",
    "uitbetaling": """INSERT INTO rm_uitbetalingen (end_to_end_id, wijkwerker_id, periode, bedrag_cent, uitgevoerd_op)
                      VALUES (:end_to_end_id, :wijkwerker_id, :periode, :bedrag_cent, :uitgevoerd_op)
                      ON CONFLICT DO NOTHING""",
    "teruggeboekt": """UPDATE rm_uitbetalingen SET teruggeboekt_op = :bankdatum, terug_reden = coalesce(:reden, :bron)
                       WHERE end_to_end_id = :end_to_end_id""",
    # Issue #23 item 4: fraud and error flags, and their decision.
    "signaal": """INSERT INTO rm_fraudesignalen (signaal_id, prestatie_id, regel, wijkwerker_id, gebruiker_id,
                      organisator_id, datum, bedrag_cent, toelichting, status)
                  VALUES (:signaal_id, :prestatie_id, :regel, :wijkwerker_id, :gebruiker_id, :organisator_id, :datum,
                      :bedrag_cent, :toelichting, 'open') ON CONFLICT DO NOTHING""",
    "signaal_besloten": """UPDATE rm_fraudesignalen SET status = :status, besloten_op = :besloten_op, door = :door,
                               reden = :reden WHERE signaal_id = :signaal_id""",
    "reis_teruggedraaid": "DELETE FROM rm_reisvergoedingen WHERE koppeling_id = :koppeling_id AND datum = :datum",
    "reis": """INSERT INTO rm_reisvergoedingen (koppeling_id, datum, organisator_id, gevalideerd_op, bedrag_cent)
               VALUES (:koppeling_id, :datum, :organisator_id, :gevalideerd_op, :bedrag_cent) ON CONFLICT DO NOTHING""",
}
_STATEMENTS = {name: text(sql) for name, sql in _SQL.items()}


class WerkEnGeld:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def schrijf(self, soort: str, **values) -> None:
        await self.session.execute(_STATEMENTS[soort], values)
