"""The fraud and error flags in the demo world (issue #23 item 4): the overlapping days the
plan registers raise flags in cheques; ops release every other one (after checking with the
gebruikers), so the dashboard shows a queue of open flags and figures of flagged, held and
released amounts. The flags of the worker who lives at a gebruiker's address
(gedeelde-iban-of-adres, ADR 0024) are left open. None is rejected here: a rejection reverses validated cheques, which the
demo's own tallies (used cheques, insurance per month) do not follow; the integration tests
cover that money path."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

from wijkwerk_platform.demo.verzender import Verzender


class Signalen(Verzender):
    async def signalen(self, verwacht: int, wachten: float = 30.0) -> None:
        """Waits (with a deadline) until cheques raised at least ``verwacht`` flags, then
        releases every other open one, dated a week after its flag (never after today)."""
        if verwacht <= 0 or "cheques" not in self.urls:
            return
        deadline = time.monotonic() + wachten
        while True:
            async with self.gate:
                r = await self.client.get(self.urls["cheques"] + "/v1/signalen", params={"status": "open"})
            alle = r.json() if r.status_code == 200 else []
            # the overlaps the plan registered; a shared address's flags stay open in the queue
            open_ = [x for x in alle if x["regel"] == "overlappende-uren"]
            self.samenvatting.signalen_gedeeld = sum(x["regel"] == "gedeelde-iban-of-adres" for x in alle)
            if len(open_) >= verwacht or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        s = self.samenvatting
        s.signalen_gemeld = len(open_)
        if len(open_) < verwacht:
            s.onverwacht["signalen-niet-gemeld"] += 1
        for signaal in sorted(open_, key=lambda x: x["id"])[::2]:
            op = min(date.fromisoformat(signaal["datum"]) + timedelta(days=7), self.vandaag)
            r = await self._post("cheques", f"/v1/signalen/{signaal['id']}/beslissing", {
                "beslissing": "vrijgegeven", "besloten_op": op.isoformat(),
                "reden": "Nagevraagd bij de gebruikers: twee korte opdrachten na elkaar, verkeerd ingegeven uur."})
            if r.status_code == 200:
                s.signalen_vrijgegeven += 1
            else:
                s.onverwacht[f"signaal-{self._rule(r)}"] += 1
