"""Organisers, their activity catalogue, and the gebruikers with their erkenningen, yearly
fees and contacts."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from wijkwerk_platform.demo import wereld
from wijkwerk_platform.demo.plan import GebruikerPlan, OrganisatorPlan
from wijkwerk_platform.demo.samenvatting import als_maand
from wijkwerk_platform.demo.verzender import Verzender


class Catalogus(Verzender):
    async def organisatoren(self, plannen: list[OrganisatorPlan]) -> None:
        # Re-running the demo reuses the organisers it made before (areas are exclusive).
        bestaand = await self.client.get(self.urls["toeleiding"] + "/v1/organisatoren", params={"limit": 500})
        bestaand.raise_for_status()
        per_verband = {o["samenwerkingsverband"]: o for o in bestaand.json()}
        for p in plannen:
            seed = p.seed
            if (o := per_verband.get(seed.samenwerkingsverband)) is not None:
                # Its area as it is now, so every municipality drawn lies inside it.
                gebied = {g["nis_code"] for g in o["gemeenten"]}
                p.id = o["id"]
                if not {w.nis for w in p.werkers} | {g.nis for g in p.gebruikers} <= gebied:
                    eerste = next(iter(sorted(gebied)))
                    for w in p.werkers:
                        w.nis = w.nis if w.nis in gebied else eerste
                    for g in p.gebruikers:
                        g.nis = g.nis if g.nis in gebied else eerste
            else:
                r = await self._post("toeleiding", "/v1/organisatoren", {
                    "naam": seed.naam, "samenwerkingsverband": seed.samenwerkingsverband,
                    "gemeenten": [{"nis_code": n, "naam": g} for n, g in seed.gemeenten],
                    "tarief": seed.tarief, "tarief_vanaf": "2018-01-01",
                })
                r.raise_for_status()
                p.id = r.json()["id"]
            self.samenvatting.organisatoren += 1

    async def activiteiten(self, p: OrganisatorPlan) -> None:
        if "prestaties" not in self.urls:
            return
        for naam, categorie, toegelaten in wereld.ACTIVITEITEN:
            a = await self._tot_gelukt("prestaties", f"/v1/organisatoren/{p.id}/activiteiten", {
                "naam": naam, "categorie": categorie, "toegelaten_categorieen": list(toegelaten)})
            p.activiteiten.append(a["id"] if a else None)
            self.samenvatting.activiteiten += bool(a)

    # -- gebruikers --
    async def gebruiker(self, p: OrganisatorPlan, g: GebruikerPlan, taak) -> None:
        s = self.samenvatting
        body = {"categorie": g.categorie, "naam": g.naam, "aangemeld_op": g.aangemeld_op.isoformat(),
                "aangemeld_bij": p.id}
        if g.geslacht:
            body["geslacht"] = g.geslacht
        if g.adres:
            body["adres"] = dict(zip(("straat", "huisnummer", "postcode"), g.adres, strict=True))
        nieuw = await self._tot_gelukt("prestaties", "/v1/gebruikers", body)
        self._stap(taak)
        if nieuw is None:
            return
        g.id = nieuw["id"]
        s.gebruikers += 1
        s.per_categorie[g.categorie] += 1
        e = await self._tot_gelukt("prestaties", f"/v1/gebruikers/{g.id}/erkenningen", {
            "organisator_id": p.id, "geldig_vanaf": g.aangemeld_op.isoformat(),
            "overeenkomst_op": g.aangemeld_op.isoformat()})
        if e is None:
            return
        s.erkenningen += 1
        betaald = g.aangemeld_op  # paid on sign-up: the erkenning is active from its first day
        if await self._tot_gelukt("prestaties", f"/v1/erkenningen/{e['id']}/betalingen",
                                  {"betaald_op": betaald.isoformat()}):
            s.inschrijvingen_betaald += 1
            s.inschrijvingen_per_maand[als_maand(betaald)] += 1
        # Renewed each year with a new fee.
        vanaf = g.aangemeld_op + relativedelta(years=1)
        while vanaf <= self.vandaag:
            if await self._tot_gelukt("prestaties", f"/v1/erkenningen/{e['id']}/hernieuwing",
                                      {"vanaf": vanaf.isoformat()}) is None:
                break
            if await self._tot_gelukt("prestaties", f"/v1/erkenningen/{e['id']}/betalingen",
                                      {"betaald_op": vanaf.isoformat()}):
                s.inschrijvingen_betaald += 1
                s.inschrijvingen_per_maand[als_maand(vanaf)] += 1
            vanaf += relativedelta(years=1)
        if g.contact:
            reden = "geen_prestaties" if g.zonder_prestaties else "opvolging"
            datum = min(self.vandaag - timedelta(days=1), g.aangemeld_op + timedelta(days=60))
            if await self._tot_gelukt("prestaties", f"/v1/gebruikers/{g.id}/contacten", {
                    "organisator_id": p.id, "datum": datum.isoformat(), "door": f"bemiddelaar-{g.nr % 40:04d}",
                    "door_rol": "bemiddelaar", "kanaal": "telefoon", "reden": reden}):
                s.contacten += 1
