"""The workers' dossiers: referral, agreement, end, placements and prestaties (with
confirmations, corrections, cancellations and attempts that must be refused), evaluations
and outflow measurements."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

from wijkwerk_platform.demo import wereld
from wijkwerk_platform.demo.plan import OrganisatorPlan, WerkerPlan, einde_gepland
from wijkwerk_platform.demo.samenvatting import als_maand
from wijkwerk_platform.demo.verzender import Verzender


class Dossiers(Verzender):
    async def wijkwerker(self, p: OrganisatorPlan, w: WerkerPlan, taak) -> None:
        try:
            await self._wijkwerker(p, w)
        finally:
            self._stap(taak)

    async def _wijkwerker(self, p: OrganisatorPlan, w: WerkerPlan) -> None:
        s = self.samenvatting
        r = await self._post("toeleiding", "/v1/wijkwerkers", {
            "insz": w.insz, "voornaam": w.voornaam, "achternaam": w.achternaam, "domicilie_nis_code": w.nis,
            "organisator_id": p.id, "uitkeringsstatus": wereld.UITKERINGSSTATUS[w.toeleider],
            "vdab_ingeschreven": True, "ex_pwa": w.ex_pwa, "onbeperkt_recht": w.onbeperkt, "iban": w.iban,
            "ingeschreven_op": w.ingeschreven.isoformat(),
            **({"adres": dict(zip(("straat", "huisnummer", "postcode"), w.adres, strict=True))} if w.adres else {}),
        })
        if r.status_code == 409:  # an INSZ drawn twice, or a second run: refused
            s.geweigerd[self._rule(r)] += 1
            return
        r.raise_for_status()
        wid = r.json()["id"]
        s.dossiers += 1
        if w.start is None:
            s.actief_of_voorlopig += 1
            return
        r = await self._post("toeleiding", "/v1/toeleidingen", {
            "wijkwerker_id": wid, "organisator_id": p.id, "toeleider_type": w.toeleider,
            "advies_maanden": w.advies, "ontvangen_op": w.ingeschreven.isoformat(), "start": w.start.isoformat(),
        })
        r.raise_for_status()
        s.toeleidingen += 1
        s.per_advies[(w.advies, als_maand(w.ingeschreven))] += 1
        traject = r.json()["id"]
        if not w.overeenkomst:
            s.actief_of_voorlopig += 1
            return
        r = await self._post("toeleiding", f"/v1/trajecten/{traject}/overeenkomst",
                             {"getekend_op": (w.start - timedelta(days=1)).isoformat()})
        r.raise_for_status()
        s.overeenkomsten += 1
        gepland = einde_gepland(w.start, w.advies)
        if w.einde is not None:
            r = await self._post("toeleiding", f"/v1/trajecten/{traject}/beeindiging",
                                 {"einde": w.einde.isoformat(), "reden": w.einde_reden})
            if r.status_code == 200:
                s.beeindigd += 1
            else:
                s.onverwacht[f"toeleiding:{self._rule(r)}"] += 1
        einde = w.einde or gepland
        if einde is None or einde >= self.vandaag:
            s.actief_of_voorlopig += 1
        if "prestaties" in self.urls and w.koppelingen:
            await self._werk(p, w, wid)
        if "evaluatie" in self.urls:
            for d in w.evaluaties:
                uitkomst = "zelfde_klus" if d < (einde or self.vandaag) - timedelta(days=30) else (
                    {"uitstroom_werk": "uitstroom_werk", "ander_traject": "ander_traject"}.get(w.einde_reden or "", "zelfde_klus"))
                body = {"traject_id": traject, "datum": d.isoformat(), "uitkomst": uitkomst,
                        "evaluator_organisatie": "VDAB"}
                if uitkomst == "ander_traject":  # moving on names the next trajectory
                    body["vervolg"] = ("IBO", "TWE", "opleiding")[w.nr % 3]
                if await self._tot_gelukt("evaluatie", "/v1/evaluaties", body):
                    s.evaluaties += 1
                    s.evaluaties_per_maand[als_maand(d)] += 1
            for n, d, categorieen, sub in w.uitstroom:
                if await self._tot_gelukt("evaluatie", "/v1/uitstroommetingen", {
                        "traject_id": traject, "horizon_maanden": n, "gemeten_op": d.isoformat(),
                        "categorieen": categorieen, "subcategorieen": sub}):
                    s.uitstroommetingen += 1

    async def _werk(self, p: OrganisatorPlan, w: WerkerPlan, wid: str) -> None:
        s = self.samenvatting
        koppelingen: list[str | None] = []
        for kp in w.koppelingen:
            activiteit = p.activiteiten[kp.activiteit]
            k = None
            if activiteit is not None and kp.gebruiker.id:
                k = await self._tot_gelukt("prestaties", "/v1/koppelingen", {
                    "wijkwerker_id": wid, "gebruiker_id": kp.gebruiker.id, "organisator_id": p.id,
                    "activiteit_id": activiteit, "locatie_nis_code": kp.gebruiker.nis, "afstand_km": kp.afstand_km,
                    "start": kp.start.isoformat()})
            koppelingen.append(k["id"] if k else None)
            s.koppelingen += k is not None
        if koppelingen[0] is None:
            return
        if w.einde is not None:  # prestaties must know the actual end before any hour is sent
            await self._wacht_op_einde(wid, w.einde)
        wachten = 60.0  # the first prestatie waits for the trajectory and agreement events
        hoofdactiviteiten: set[str] = set()
        for pp in w.prestaties:
            kp, koppeling = w.koppelingen[pp.koppeling], koppelingen[pp.koppeling]
            if koppeling is None:
                continue
            body = {"koppeling_id": koppeling, "datum": pp.datum.isoformat(), "start": pp.start,
                    "minuten": pp.minuten, "door": pp.door}
            pr = await self._tot_gelukt("prestaties", "/v1/prestaties", body, wachten=wachten)
            if pr is None:
                continue
            wachten = 3.0
            s.prestaties += 1
            s.signalen_verwacht += pp.start != "09:00"  # it overlaps the day's other prestatie: two flags
            uren = pr["begonnen_uren"]
            ander = "gebruiker" if pp.door == "wijkwerker" else "wijkwerker"
            if pp.na == "bevestig":
                if await self._tot_gelukt("prestaties", f"/v1/prestaties/{pr['id']}/bevestiging", {"door": ander}, 5):
                    s.bevestigd += 1
            elif pp.na == "corrigeer":
                c = await self._tot_gelukt("prestaties", f"/v1/prestaties/{pr['id']}/correctie", {
                    "door": "organisator", "start": "09:00", "minuten": pp.correctie_minuten,
                    "reden": "Tikfout in de duur"}, 5)
                if c is not None:
                    s.gecorrigeerd += 1
                    uren = c["begonnen_uren"]
            elif pp.na == "betwist":
                if await self._betwist(pr["id"], ander, pp.beslissing):
                    continue  # rejected: cancelled, no cheque pays it
            elif pp.na == "annuleer" and await self._tot_gelukt(
                    "prestaties", f"/v1/prestaties/{pr['id']}/annulering",
                    {"door": "organisator", "reden": "Dubbel ingevoerd"}, 5):
                s.geannuleerd += 1
                continue
            kp.gebruiker.prestaties.append((pr["id"], pp.datum, uren))
            hoofdactiviteiten.add(wereld.ACTIVITEITEN[kp.activiteit][1])
        if hoofdactiviteiten:
            s.werkers_per_aantal_hoofdactiviteiten[len(hoofdactiviteiten)] += 1
            self.met_uren.append((w.nr, wid, f"{w.voornaam[:1]}. {w.achternaam}"))
        hoofd = w.koppelingen[0]
        for datum, minuten in ([w.plafond_poging] if w.plafond_poging else []) + (
                [(w.buiten_traject, 120)] if w.buiten_traject else []):
            r = await self._post("prestaties", "/v1/prestaties", {
                "koppeling_id": koppelingen[0], "datum": datum.isoformat(), "start": "06:00", "minuten": minuten,
                "door": "wijkwerker"})
            if r.status_code in (200, 201):
                s.onverwacht["aanvaard-maar-ongeldig"] += 1
                s.prestaties += 1
                hoofd.gebruiker.prestaties.append((r.json()["id"], datum, r.json()["begonnen_uren"]))
            else:
                s.geweigerd[self._rule(r)] += 1

    async def _wacht_op_einde(self, wid: str, einde: date, wachten: float = 60.0) -> None:
        deadline = time.monotonic() + wachten
        while time.monotonic() < deadline:
            async with self.gate:
                r = await self.client.get(self.urls["prestaties"] + f"/v1/wijkwerkers/{wid}/trajecten")
            if r.status_code == 200 and einde.isoformat() in r.text:
                return
            await asyncio.sleep(0.2)
        self.samenvatting.onverwacht["einde-niet-gezien"] += 1

    async def _betwist(self, prestatie_id: str, ander: str, beslissing: str | None) -> bool:
        """The other party disputes; the organiser upholds or rejects some (issue #23 item 3).
        True when the prestatie was rejected (cancelled, no cheque pays it)."""
        s = self.samenvatting
        if await self._tot_gelukt("prestaties", f"/v1/prestaties/{prestatie_id}/betwisting",
                                  {"door": ander, "reden": "Er werd minder lang gewerkt."}, 5) is None:
            return False
        s.betwist += 1
        if beslissing is None:
            return False
        if await self._tot_gelukt("prestaties", f"/v1/prestaties/{prestatie_id}/beslissing", {
                "uitkomst": beslissing, "toelichting": "Nagekeken met de aanwezigheidslijst."}, 5) is None:
            return False
        if beslissing == "gehandhaafd":
            s.gehandhaafd += 1
            return False
        s.afgewezen += 1
        return True
