"""Work-experience certificates (issue #23 item 5) on a real PostgreSQL: built as of a date
from the read models, signed with the platform's Ed25519 key (the signature in the PDF
verifies against the published key; a tampered statement does not), verified without a
login (showing only what the certificate states), revoked, and scoped per caller."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, time, timedelta
from urllib.parse import urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader
from sqlalchemy import text

from evaluatie.adapters.ondertekening import van_b64url
from wijkwerk.events.prestaties import PrestatieGeannuleerd, PrestatieGeregistreerd
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd, TrajectGestart, WijkwerkerIngeschreven

pytestmark = pytest.mark.integration

OP = date(2026, 6, 30)
SCHRIJF = ("evaluatie:write",)


def _prestatie(w, o, datum: date, activiteit: str, uren: int) -> PrestatieGeregistreerd:
    return PrestatieGeregistreerd(
        prestatie_id=uuid.uuid4(), wijkwerker_id=w, gebruiker_id=uuid.uuid4(), organisator_id=o,
        koppeling_id=uuid.uuid4(), datum=datum, door="gebruiker", traject_id=uuid.uuid4(), activiteit_id=uuid.uuid4(),
        activiteit_categorie=activiteit, gebruiker_categorie="particulier", locatie_nis_code="31005", start=time(9),
        minuten=uren * 60, begonnen_uren=uren, afstand_km=2, recht_op_verplaatsingsvergoeding=False,
        verplaatsingsvergoeding_dag_cent=0)


async def _wereld(client, engine, tokens, fold):
    """A worker of organiser O: gardening in February and March (3 + 4 h), cleaning in May
    (2 h), a cancelled prestatie (5 h) and one after OP (6 h); evaluations before and after OP."""
    o, w, t = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    geannuleerd = _prestatie(w, o, date(2026, 4, 1), "groenonderhoud", 5)
    await fold(engine,
               OrganisatorGeregistreerd(organisator_id=o, naam="Wijk-werken Westhoek", samenwerkingsverband="SV",
                                        gemeenten=()),
               WijkwerkerIngeschreven(wijkwerker_id=w, organisator_id=o, domicilie_nis_code="31005",
                                      uitkeringsstatus="leefloon", ex_pwa=False, onbeperkt_recht=False,
                                      ingeschreven_op=date(2026, 1, 5)),
               TrajectGestart(traject_id=t, toeleiding_id=uuid.uuid4(), wijkwerker_id=w, organisator_id=o,
                              start=date(2026, 1, 10), gepland_einde=date(2027, 1, 9), max_einde=None),
               _prestatie(w, o, date(2026, 2, 3), "groenonderhoud", 3),
               _prestatie(w, o, date(2026, 3, 17), "groenonderhoud", 4),
               _prestatie(w, o, date(2026, 5, 20), "poetsen", 2),
               geannuleerd,
               PrestatieGeannuleerd(prestatie_id=geannuleerd.prestatie_id, wijkwerker_id=w, gebruiker_id=uuid.uuid4(),
                                    organisator_id=o, koppeling_id=geannuleerd.koppeling_id, datum=geannuleerd.datum,
                                    door="organisator", begonnen_uren=5, reden="dubbel"),
               _prestatie(w, o, date(2026, 7, 2), "poetsen", 6))
    for datum, uitkomst, vervolg in ((date(2026, 6, 15), "zelfde_klus", None),
                                     (date(2026, 7, 10), "ander_traject", "IBO")):
        r = await client.post("/v1/evaluaties", headers=tokens.headers(*SCHRIJF), json={
            "traject_id": str(t), "datum": str(datum), "uitkomst": uitkomst, "vervolg": vervolg})
        assert r.status_code == 201, r.text
    return o, w


async def _uitgeven(client, tokens, o, w, **kw):
    return await client.post(f"/v1/wijkwerkers/{w}/getuigschriften", json={"naam": "A. Peeters", "op": str(OP)},
                             headers=tokens.headers(*SCHRIJF, org=str(o), org_type="organisator"), **kw)


async def test_a_certificate_states_the_hours_per_activity_and_evaluations_as_of_its_date(env, tokens, fold):
    client, engine = env
    o, w = await _wereld(client, engine, tokens, fold)
    r = await _uitgeven(client, tokens, o, w)
    assert r.status_code == 201, r.text
    g = r.json()
    assert g["status"] == "geldig"
    assert g["verklaring"] == {
        "getuigschrift_id": g["id"], "naam": "A. Peeters", "organisator": "Wijk-werken Westhoek", "op": "2026-06-30",
        "periode": {"van": "2026-02-03", "tot": "2026-05-20"}, "uren": 9,
        "activiteiten": [{"activiteit": "groenonderhoud", "van": "2026-02-03", "tot": "2026-03-17", "uren": 7},
                         {"activiteit": "poetsen", "van": "2026-05-20", "tot": "2026-05-20", "uren": 2}],
        "evaluaties": [{"datum": "2026-06-15", "uitkomst": "zelfde_klus"}]}
    async with engine.connect() as conn:
        soort = await conn.scalar(text("SELECT event_type FROM outbox ORDER BY id DESC LIMIT 1"))
    assert soort == "GetuigschriftUitgegeven"

    toekomst = await client.post(f"/v1/wijkwerkers/{w}/getuigschriften", headers=tokens.headers(*SCHRIJF),
                                 json={"naam": "A. Peeters", "op": str(date.today() + timedelta(days=1))})
    assert (toekomst.status_code, toekomst.json()["rule"]) == (422, "getuigschrift-in-de-toekomst")
    vroeg = await client.post(f"/v1/wijkwerkers/{w}/getuigschriften", headers=tokens.headers(*SCHRIJF),
                              json={"naam": "A. Peeters", "op": "2026-01-31"})
    assert (vroeg.status_code, vroeg.json()["rule"]) == (409, "getuigschrift-zonder-prestaties")


async def test_the_pdfs_signature_verifies_against_the_published_key_and_a_tampered_one_does_not(env, tokens, fold):
    client, engine = env
    o, w = await _wereld(client, engine, tokens, fold)
    g = (await _uitgeven(client, tokens, o, w)).json()
    r = await client.get(f"/v1/getuigschriften/{g['id']}", headers=tokens.headers(
        "documenten:lezen", org=str(w), org_type="wijkwerker"))  # the worker's own token
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text
    pdf = PdfReader(io.BytesIO(r.content))
    tekst = pdf.pages[0].extract_text()
    for stuk in ("Getuigschrift werkervaring wijk-werken", "Naam: A. Peeters", "Wijk-werken Westhoek",
                 "groenonderhoud 2026-02-03 2026-03-17 7", "poetsen 2026-05-20 2026-05-20 2", "Totaal: 9 uren",
                 "2026-06-15: verder in dezelfde klus", g["verificatie_url"]):
        assert stuk in tekst, (stuk, tekst)
    assert "ander_traject" not in tekst and "doorstroom" not in tekst  # the evaluation after OP
    inhoud = pdf.attachments["getuigschrift.json"][0]
    handtekening = pdf.attachments["getuigschrift.sig"][0].decode()
    assert json.loads(inhoud) == g["verklaring"] and handtekening in tekst.replace("\n", "")

    sleutels = (await client.get("/.well-known/wijkwerk-getuigschriften.json")).json()["keys"]  # no token
    [jwk] = [k for k in sleutels if k["kid"] == g["sleutel_id"]]
    publiek = Ed25519PublicKey.from_public_bytes(van_b64url(jwk["x"]))
    publiek.verify(van_b64url(handtekening), inhoud)  # raises when it does not verify
    vervalst = json.dumps(json.loads(inhoud) | {"uren": 90}, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(InvalidSignature):
        publiek.verify(van_b64url(handtekening), vervalst)


async def test_the_verification_page_needs_no_login_and_shows_only_what_the_certificate_states(env, tokens, fold):
    client, engine = env
    o, w = await _wereld(client, engine, tokens, fold)
    g = (await _uitgeven(client, tokens, o, w)).json()
    url = urlsplit(g["verificatie_url"])
    pad = f"{url.path}?{url.query}"
    als_json = (await client.get(pad, headers={"accept": "application/json"})).json()
    assert als_json == {"status": "geldig", "ingetrokken_op": None, "verklaring": g["verklaring"]}
    pagina = await client.get(pad)
    assert pagina.headers["content-type"].startswith("text/html") and "GELDIG" in pagina.text
    assert "A. Peeters" in pagina.text and str(w) not in pagina.text and str(o) not in pagina.text

    for fout in (f"{url.path}?c=AAAAAAAAAAAAAAAAAAAAAA", url.path,
                 f"/verificatie/getuigschriften/{uuid.uuid4()}?{url.query}"):
        r = await client.get(fout, headers={"accept": "application/json"})
        assert r.json() == {"status": "ongeldig", "ingetrokken_op": None, "verklaring": None}, fout
    async with engine.begin() as conn:  # a row changed after signing no longer verifies
        await conn.execute(text("UPDATE getuigschriften SET inhoud = replace(inhoud, :van, :naar)"),
                           {"van": '"uren":9', "naar": '"uren":90'})
    assert (await client.get(pad, headers={"accept": "application/json"})).json()["status"] == "ongeldig"


async def test_a_revoked_certificate_says_so_and_each_caller_sees_its_own_only(env, tokens, fold):
    client, engine = env
    o, w = await _wereld(client, engine, tokens, fold)
    ander = uuid.uuid4()
    r = await _uitgeven(client, tokens, ander, w)
    assert (r.status_code, r.json()["rule"]) == (404, "wijkwerker-onbekend")  # another organiser
    g = (await _uitgeven(client, tokens, o, w)).json()
    pad = f"/v1/getuigschriften/{g['id']}"
    for kw in ({"org": str(uuid.uuid4()), "org_type": "wijkwerker"}, {"org": str(ander), "org_type": "organisator"},
               {"org": str(uuid.uuid4()), "org_type": "gebruiker"}):
        r = await client.get(pad, headers=tokens.headers("documenten:lezen", **kw))
        assert (r.status_code, r.json()["rule"]) == (404, "getuigschrift-onbekend"), kw
    assert (await client.get(pad, headers=tokens.headers("documenten:lezen", org=str(o), org_type="organisator"))
            ).status_code == 200
    eigen = await client.get(f"/v1/wijkwerkers/{w}/getuigschriften",
                             headers=tokens.headers("documenten:lezen", org=str(w), org_type="wijkwerker"))
    assert [x["id"] for x in eigen.json()] == [g["id"]], eigen.text
    vreemd = await client.get(f"/v1/wijkwerkers/{w}/getuigschriften",
                              headers=tokens.headers("documenten:lezen", org=str(ander), org_type="organisator"))
    assert (vreemd.status_code, vreemd.json()["rule"]) == (404, "wijkwerker-onbekend")

    intrekking = {"ingetrokken_op": "2026-07-02", "reden": "Verkeerde naam"}
    r = await client.post(f"{pad}/intrekking", json=intrekking,
                          headers=tokens.headers(*SCHRIJF, org=str(ander), org_type="organisator"))
    assert (r.status_code, r.json()["rule"]) == (404, "getuigschrift-onbekend")
    r = await client.post(f"{pad}/intrekking", json=intrekking,
                          headers=tokens.headers(*SCHRIJF, org=str(o), org_type="organisator"))
    assert (r.status_code, r.json()["status"]) == (200, "ingetrokken"), r.text
    url = urlsplit(g["verificatie_url"])
    nu = (await client.get(f"{url.path}?{url.query}", headers={"accept": "application/json"})).json()
    assert (nu["status"], nu["ingetrokken_op"]) == ("ingetrokken", "2026-07-02")
    again = await client.post(f"{pad}/intrekking", json=intrekking, headers=tokens.headers(*SCHRIJF))
    assert (again.status_code, again.json()["rule"]) == (409, "getuigschrift-al-ingetrokken")
