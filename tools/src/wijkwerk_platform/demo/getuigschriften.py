"""Work-experience certificates in the demo world (issue #23 item 5): every fifth worker
with accepted hours gets one as of the demo's day, through evaluatie's public API; the
first is revoked, so the verification page shows both states. The second one's worker is the
one whose own page (``/mijn/``) ``wijkwerk demo`` prints a link to (issue #23 item 7)."""

from __future__ import annotations

from wijkwerk_platform.demo.verzender import Verzender


class Getuigschriften(Verzender):
    async def getuigschriften(self) -> None:
        s = self.samenvatting
        for i, (_, wid, naam) in enumerate(sorted(self.met_uren)[::5]):
            g = await self._tot_gelukt("evaluatie", f"/v1/wijkwerkers/{wid}/getuigschriften",
                                       {"naam": naam, "op": self.vandaag.isoformat()})
            if g is None:
                continue
            s.getuigschriften += 1
            if i == 0 and await self._tot_gelukt("evaluatie", f"/v1/getuigschriften/{g['id']}/intrekking", {
                    "ingetrokken_op": self.vandaag.isoformat(), "reden": "Naam verkeerd gedrukt"}, 5):
                s.getuigschriften_ingetrokken += 1
            elif s.voorbeeld_wijkwerker is None:
                s.voorbeeld_wijkwerker = wid
        if s.voorbeeld_wijkwerker is None and self.met_uren:  # no certificate kept: a worker with hours
            s.voorbeeld_wijkwerker = sorted(self.met_uren)[0][1]
