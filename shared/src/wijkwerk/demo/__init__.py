"""A demo world, loaded only through the public HTTP APIs (never the databases).

``run_demo`` is called by ``wijkwerk up --demo`` and ``wijkwerk demo``. It is
deterministic for a seed. This first version registers the organisers of DOMAIN O-3,
worker dossiers and their referrals; the later parts of the world (gebruikers,
prestaties, cheques, evaluations) follow the services that own them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
from faker import Faker

from wijkwerk.auth import mint_token
from wijkwerk.demo import identiteit, wereld

SCOPES = ["toeleiding:admin", "toeleiding:read", "toeleiding:write"]


@dataclass
class Samenvatting:
    organisatoren: int = 0
    dossiers: int = 0
    toeleidingen: int = 0
    overeenkomsten: int = 0
    geweigerd: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.organisatoren} organisers, {self.dossiers} dossiers, {self.toeleidingen} referrals, "
            f"{self.overeenkomsten} agreements; rejected as expected: {self.geweigerd or 'none'}"
        )


def _kies(rng: random.Random, gewogen: tuple[tuple[object, int], ...]):
    return rng.choices([w for w, _ in gewogen], weights=[g for _, g in gewogen])[0]


class DemoLoader:
    def __init__(self, client: httpx.AsyncClient, urls: dict[str, str], seed: int, concurrency: int = 8) -> None:
        self.client = client
        self.urls = urls
        self.rng = random.Random(seed)
        self.faker = Faker("nl_BE")
        self.faker.seed_instance(seed)
        self.gate = asyncio.Semaphore(concurrency)
        self.samenvatting = Samenvatting()

    async def _post(self, service: str, path: str, body: dict) -> httpx.Response:
        async with self.gate:
            return await self.client.post(self.urls[service] + path, json=body)

    async def organisatoren(self) -> list[tuple[str, wereld.OrganisatorSeed]]:
        # Re-running the demo reuses the organisers it made before (areas are exclusive).
        bestaand = await self.client.get(self.urls["toeleiding"] + "/v1/organisatoren", params={"limit": 500})
        bestaand.raise_for_status()
        per_verband = {o["samenwerkingsverband"]: o for o in bestaand.json()}
        gemaakt = []
        for seed in wereld.ORGANISATOREN:
            if (o := per_verband.get(seed.samenwerkingsverband)) is not None:
                # Its area as it is now, so every domicile drawn lies inside it.
                gebied = tuple((g["nis_code"], g["naam"]) for g in o["gemeenten"])
                gemaakt.append((o["id"], dataclasses.replace(seed, gemeenten=gebied)))
                self.samenvatting.organisatoren += 1
                continue
            r = await self._post("toeleiding", "/v1/organisatoren", {
                "naam": seed.naam,
                "samenwerkingsverband": seed.samenwerkingsverband,
                "gemeenten": [{"nis_code": n, "naam": g} for n, g in seed.gemeenten],
                "tarief": seed.tarief,
                "tarief_vanaf": "2018-01-01",
            })
            r.raise_for_status()
            gemaakt.append((r.json()["id"], seed))
            self.samenvatting.organisatoren += 1
        return gemaakt

    async def wijkwerker(self, volgnummer: int, organisator_id: str, seed: wereld.OrganisatorSeed) -> None:
        rng, fake = self.rng, self.faker
        toeleider = _kies(rng, wereld.TOELEIDERS)
        ex_pwa = rng.random() < wereld.AANDEEL_EX_PWA * 0.3  # most inflow after 2019 is new
        geboren = fake.date_of_birth(minimum_age=25, maximum_age=64)
        nis, _ = rng.choice(seed.gemeenten)
        ingeschreven = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 540))
        r = await self._post("toeleiding", "/v1/wijkwerkers", {
            "insz": identiteit.insz(geboren, volgnummer),
            "voornaam": fake.first_name(),
            "achternaam": fake.last_name(),
            "domicilie_nis_code": nis,
            "organisator_id": organisator_id,
            "uitkeringsstatus": wereld.UITKERINGSSTATUS[toeleider],
            "vdab_ingeschreven": True,
            "ex_pwa": ex_pwa,
            "onbeperkt_recht": ex_pwa and rng.random() < 0.5,
            "iban": identiteit.belgische_iban(rng),
            "ingeschreven_op": ingeschreven.isoformat(),
        })
        if r.status_code == 409:  # an INSZ drawn twice: a real-world duplicate, refused
            self._geweigerd(r)
            return
        r.raise_for_status()
        dossier = r.json()
        self.samenvatting.dossiers += 1
        if rng.random() > wereld.AANDEEL_ACTIEF_OF_VOORLOPIG + 0.1:
            return  # registered, never referred
        start = ingeschreven + timedelta(days=rng.randrange(3, 40))
        r = await self._post("toeleiding", "/v1/toeleidingen", {
            "wijkwerker_id": dossier["id"],
            "organisator_id": organisator_id,
            "toeleider_type": toeleider,
            "advies_maanden": None if dossier["onbeperkt_recht"] else _kies(rng, wereld.ADVIES),
            "ontvangen_op": ingeschreven.isoformat(),
            "start": start.isoformat(),
        })
        r.raise_for_status()
        self.samenvatting.toeleidingen += 1
        traject = r.json()
        if rng.random() < 0.9:
            r = await self._post("toeleiding", f"/v1/trajecten/{traject['id']}/overeenkomst",
                                 {"getekend_op": (start - timedelta(days=1)).isoformat()})
            r.raise_for_status()
            self.samenvatting.overeenkomsten += 1

    def _geweigerd(self, r: httpx.Response) -> None:
        rule = r.json().get("rule", str(r.status_code))
        self.samenvatting.geweigerd[rule] = self.samenvatting.geweigerd.get(rule, 0) + 1

    async def laad(self, scale: float) -> Samenvatting:
        organisatoren = await self.organisatoren()
        per_organisator = max(1, round(200 * scale))
        taken = [
            self.wijkwerker(i * len(organisatoren) + j, oid, seed)
            for i in range(per_organisator)
            for j, (oid, seed) in enumerate(organisatoren)
        ]
        # Rules are enforced on the way in: a referral outside the area is refused.
        await asyncio.gather(*taken)
        return self.samenvatting


async def load(urls: dict[str, str], *, scale: float, seed: int, token: str) -> Samenvatting:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=30, trust_env=False) as client:
        return await DemoLoader(client, urls, seed).laad(scale)


def run_demo(urls: dict[str, str], *, scale: float = 1.0, seed: int = 42, private_key: Path) -> Samenvatting:
    token = mint_token(private_key, subject="demo", scopes=SCOPES, org_type="vdab", ttl_seconds=6 * 3600)
    return asyncio.run(load(urls, scale=scale, seed=seed, token=token))
