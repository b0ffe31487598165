"""Bank details from toeleiding, asked at the moment of a payout run and never stored
here, never logged and never put in an event (ARCHITECTURE §2)."""

from __future__ import annotations

import ssl
import uuid
from dataclasses import dataclass
from typing import Protocol

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from cheques.domain.fouten import Onbeschikbaar
from wijkwerk.dienstentoken import ServiceToken, TokenOnbeschikbaar
from wijkwerk.observability import CORRELATION_HEADER, current_correlation_id
from wijkwerk.tracing import outgoing_headers


@dataclass(frozen=True)
class Bankrekening:
    naam: str
    iban: str

    def __repr__(self) -> str:  # an IBAN never reaches a log line through a repr
        return "Bankrekening(…)"


class BankgegevensBron(Protocol):
    async def haal(self, wijkwerker_ids: list[uuid.UUID]) -> dict[uuid.UUID, Bankrekening]:
        """Details per worker; a worker toeleiding does not know is left out."""


def _tijdelijk(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return isinstance(exc, httpx.TransportError)


class ToeleidingBankgegevens:
    def __init__(self, base_url: str, token: ServiceToken, *, timeout_s: float = 5.0, pogingen: int = 3,
                 verify: ssl.SSLContext | bool = True) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s
        self.pogingen = pogingen
        self.verify = verify  # HTTPS: the platform's CA (wijkwerk.http.tls)

    async def haal(self, wijkwerker_ids: list[uuid.UUID]) -> dict[uuid.UUID, Bankrekening]:
        gevonden: dict[uuid.UUID, Bankrekening] = {}
        # trust_env=False: a proxy from the environment must not see these calls.
        async with httpx.AsyncClient(timeout=self.timeout_s, trust_env=False, verify=self.verify) as client:
            for wijkwerker_id in wijkwerker_ids:
                rekening = await self._een(client, wijkwerker_id)
                if rekening is not None:
                    gevonden[wijkwerker_id] = rekening
        return gevonden

    async def _een(self, client: httpx.AsyncClient, wijkwerker_id: uuid.UUID) -> Bankrekening | None:
        url = f"{self.base_url}/v1/wijkwerkers/{wijkwerker_id}/bankgegevens"
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.pogingen),
                wait=wait_exponential(multiplier=0.2, max=2),
                retry=retry_if_exception(_tijdelijk),
                reraise=True,
            ):
                with attempt:
                    # asked per call: the provider's token is cached and renewed before it
                    # expires, so a long payout run never sends a lapsed one
                    headers = {"Authorization": f"Bearer {await self.token()}"}
                    if (correlatie := current_correlation_id()) is not None:
                        # toeleiding's audit record of this read then shares the payout
                        # request's correlation id: who asked for the run is in cheques' trail
                        headers[CORRELATION_HEADER] = correlatie
                    headers.update(outgoing_headers())  # the trace continues in toeleiding
                    response = await client.get(url, headers=headers)
                    if response.status_code == 404:
                        return None
                    response.raise_for_status()
        except (httpx.HTTPError, ValueError, TokenOnbeschikbaar) as exc:
            raise Onbeschikbaar(
                f"toeleiding did not give bank details ({type(exc).__name__}).", rule="bankgegevens-onbeschikbaar"
            ) from None
        body = response.json()
        return Bankrekening(naam=body["naam"], iban=body["iban"])
