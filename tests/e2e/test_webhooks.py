"""Outbound webhooks through the running platform (issue #23 item 6): a referral in
toeleiding reaches a partner's endpoint on 127.0.0.1 as a signed `traject.gestart`, sent by
evaluatie's webhooks consumer and delivery worker, and shows in the delivery log."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import orjson
import pytest

from wijkwerk import webhooks
from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e


class _Ontvanger(BaseHTTPRequestHandler):
    ontvangen: list[tuple[dict, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        body = self.rfile.read(int(self.headers["content-length"]))
        self.ontvangen.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def _post(system, service: str, path: str, headers: dict, body: dict) -> dict:
    r = httpx.post(system.url(service) + path, json=body, headers=headers, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_started_trajectory_reaches_the_partner_signed(system):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ontvanger)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        h = system.tokens.headers("toeleiding:admin", "toeleiding:read", "toeleiding:write")
        org = _post(system, "toeleiding", "/v1/organisatoren", h, {
            "naam": "Wijk-werken Meetjesland", "samenwerkingsverband": "Meetjesland", "tarief": "7.45",
            "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": "43005", "naam": "Eeklo"}]})
        vdab = system.tokens.headers("webhooks:beheer")
        abonnement = _post(system, "evaluatie", "/v1/abonnementen", vdab, {
            "url": f"http://127.0.0.1:{server.server_address[1]}/h", "types": ["traject.gestart"],
            "organisator_id": org["id"]})
        wie = _post(system, "toeleiding", "/v1/wijkwerkers", h, {
            "insz": "85073003328", "voornaam": "An", "achternaam": "Claeys", "domicilie_nis_code": "43005",
            "organisator_id": org["id"], "uitkeringsstatus": "leefloon", "vdab_ingeschreven": True,
            "iban": "BE68539007547034", "ingeschreven_op": "2026-02-01"})
        traject = _post(system, "toeleiding", "/v1/toeleidingen", h, {
            "wijkwerker_id": wie["id"], "organisator_id": org["id"], "toeleider_type": "OCMW", "advies_maanden": 6,
            "ontvangen_op": "2026-02-03", "start": "2026-02-10"})

        wait_until(lambda: len(_Ontvanger.ontvangen) >= 1, timeout=60)
        headers, body = _Ontvanger.ontvangen[0]
        assert webhooks.klopt(abonnement["geheim"], headers["webhook-id"], int(headers["webhook-timestamp"]), body,
                              headers["webhook-signature"])
        payload = orjson.loads(body)
        assert payload["type"] == "traject.gestart"
        assert (payload["data"]["traject_id"], payload["data"]["organisator_id"]) == (traject["id"], org["id"])
        assert "85073003328" not in body.decode() and "Claeys" not in body.decode()  # no personal data

        def geleverd() -> bool:
            log = httpx.get(system.url("evaluatie") + f"/v1/abonnementen/{abonnement['id']}/leveringen",
                            headers=vdab, timeout=10).json()
            return [(lv["id"], lv["status"]) for lv in log] == [(headers["webhook-id"], "geleverd")]

        wait_until(geleverd, timeout=30)
    finally:
        server.shutdown()
