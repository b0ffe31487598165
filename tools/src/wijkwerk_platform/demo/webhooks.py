"""Cheques through the issuer's webhooks: paid orders per quarter, issued series, and the
validations of the prestaties' hours."""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from wijkwerk_platform.demo.plan import GebruikerPlan, OrganisatorPlan
from wijkwerk_platform.demo.samenvatting import als_maand
from wijkwerk_platform.demo.verzender import Verzender

AANDEEL_TERUGBETAALD = 0.1  # orders whose gebruiker asks to refund a reserve cheque
AANDEEL_OUDE_RESERVE = 0.5  # gebruikers who bought two cheques at registration and never used them


class Webhooks(Verzender):
    async def cheques(self, p: OrganisatorPlan, g: GebruikerPlan, taak) -> None:
        s = self.samenvatting
        try:
            if not g.prestaties or self.uitgever is None:
                return
            rng = random.Random(f"{self.seed}-cheques-{g.nr}")
            if rng.random() < AANDEEL_OUDE_RESERVE:
                await self._oude_reserve(p, g, rng)
            per_kwartaal: dict[tuple[int, int], list] = {}
            for pid, datum, uren in sorted(g.prestaties, key=lambda x: x[1]):
                per_kwartaal.setdefault((datum.year, (datum.month - 1) // 3), []).append((pid, datum, uren))
            for (jaar, kwartaal), prestaties in per_kwartaal.items():
                besteld = max(g.aangemeld_op, date(jaar, 3 * kwartaal + 1, 1) - timedelta(days=5))
                besteld = min(besteld, prestaties[0][1])
                nodig = sum(u for _, _, u in prestaties)
                aantal = nodig + rng.randrange(0, 6)  # a few cheques in reserve
                bestelling = str(uuid.UUID(int=rng.getrandbits(128)))
                drager = "elektronisch" if rng.random() < 0.45 else "papier"
                if not await self._webhook({
                        "type": "bestelling.betaald", "bestelling_id": bestelling, "gebruiker_id": g.id,
                        "organisator_id": p.id, "aantal": aantal, "drager": drager,
                        "besteld_op": besteld.isoformat()}, f"demo-{bestelling}-b"):
                    continue
                s.bestellingen += 1
                s.cheques_besteld += aantal
                series = [f"WW{bestelling[:8]}{bestelling[9:13]}-{i:05d}" for i in range(aantal)]
                if not await self._webhook({
                        "type": "cheques.uitgegeven", "bestelling_id": bestelling, "serienummers": series,
                        "uitgegeven_op": (besteld + timedelta(days=1)).isoformat()}, f"demo-{bestelling}-u"):
                    continue
                s.cheques_uitgegeven += aantal
                volgende = iter(series)
                validaties = []
                for pid, datum, uren in prestaties:
                    if rng.random() < 0.06:
                        continue  # not handed in (yet)
                    # Most within days, some in a later month.
                    vertraging = rng.randrange(0, 6) if rng.random() < 0.8 else rng.randrange(20, 50)
                    gevalideerd = min(datum + timedelta(days=vertraging), self.vandaag)
                    validaties.append(([next(volgende) for _ in range(uren)], pid, gevalideerd))
                await asyncio.gather(*(self._valideer(*v) for v in validaties))
                if aantal > nodig and rng.random() < AANDEEL_TERUGBETAALD:  # a reserve cheque given back
                    await self._terugbetaling(series[-1], besteld + timedelta(days=rng.randrange(20, 90)),
                                              goedgekeurd=rng.random() < 0.8)
        finally:
            self._stap(taak)

    async def _oude_reserve(self, p: OrganisatorPlan, g: GebruikerPlan, rng: random.Random) -> None:
        """Two cheques bought at registration and never used: once their validity (12 months)
        has passed, the expiry job lapses them (issue #23)."""
        uitgegeven = g.aangemeld_op + timedelta(days=1)
        if uitgegeven + relativedelta(months=12) > self.vandaag:
            return
        bestelling = str(uuid.UUID(int=rng.getrandbits(128)))
        if not await self._webhook({
                "type": "bestelling.betaald", "bestelling_id": bestelling, "gebruiker_id": g.id, "organisator_id": p.id,
                "aantal": 2, "drager": "papier", "besteld_op": g.aangemeld_op.isoformat()}, f"demo-{bestelling}-b"):
            return
        self.samenvatting.bestellingen += 1
        self.samenvatting.cheques_besteld += 2
        series = [f"WW{bestelling[:8]}{bestelling[9:13]}-{i:05d}" for i in range(2)]
        if await self._webhook({"type": "cheques.uitgegeven", "bestelling_id": bestelling, "serienummers": series,
                                "uitgegeven_op": uitgegeven.isoformat()}, f"demo-{bestelling}-u"):
            self.samenvatting.cheques_uitgegeven += 2

    async def _terugbetaling(self, serienummer: str, gevraagd: date, goedgekeurd: bool) -> None:
        """A refund request for an unused cheque and its decision three days later (issue #23)."""
        beslist = gevraagd + timedelta(days=3)
        if beslist > self.vandaag:
            return
        r = await self._post("cheques", f"/v1/cheques/{serienummer}/terugbetalingsaanvragen",
                             {"gevraagd_op": gevraagd.isoformat(), "reden": "niet meer nodig"})
        if r.status_code != 201:
            self.samenvatting.onverwacht[f"terugbetaling-{r.status_code}"] += 1
            return
        beslissing = "goedgekeurd" if goedgekeurd else "geweigerd"
        r = await self._post("cheques", f"/v1/terugbetalingsaanvragen/{r.json()['id']}/beslissing",
                             {"beslissing": beslissing, "beslist_op": beslist.isoformat()})
        if r.status_code == 200 and goedgekeurd:
            self.samenvatting.cheques_terugbetaald += 1

    async def vervallingen(self) -> None:
        """The expiry job up to today: the reserve cheques of orders older than their validity
        lapse on their own expiry day (issue #23; the service also runs it hourly)."""
        if self.uitgever is None:
            return
        r = await self._post("cheques", "/v1/cheques/vervallingen", {"tot": self.vandaag.isoformat()})
        if r.status_code == 200:
            self.samenvatting.cheques_vervallen += r.json()["aantal"]
        else:
            self.samenvatting.onverwacht[f"vervallingen-{r.status_code}"] += 1

    async def _valideer(self, series: list[str], prestatie_id: str, gevalideerd: date) -> None:
        """The prestatie's cheques in one delivery (as an electronic registration is), or
        one by one for a single hour."""
        if len(series) == 1:
            body = {"type": "cheque.gevalideerd", "serienummer": series[0]}
        else:
            body = {"type": "cheques.gevalideerd", "serienummers": series}
        body |= {"prestatie_id": prestatie_id, "gevalideerd_op": gevalideerd.isoformat()}
        if await self._webhook(body, f"demo-{series[0]}-v"):
            self.samenvatting.cheques_gevalideerd += len(series)
            self.samenvatting.gevalideerd_per_maand[als_maand(gevalideerd)] += len(series)
