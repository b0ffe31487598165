"""ADR 0024: a worker and a gebruiker sharing an IBAN or an address (their keyed
fingerprints from toeleiding's and prestaties' events) flag the prestatie; without I/O."""

from __future__ import annotations

import uuid
from datetime import date

from cheques.domain.cheque import Prestatie
from cheques.domain.signaal import Drempels, Regel, Vingerafdrukken, gedeeld
from cheques.service_layer import signalen
from cheques.service_layer.consumenten import referentie
from wijkwerk import vingerafdruk
from wijkwerk.events.cheques import SignaalGemeld
from wijkwerk.events.prestaties import GebruikerGeregistreerd
from wijkwerk.events.toeleiding import WijkwerkerIngeschreven

from .fakes import FakeChequesUnitOfWork

SLEUTEL = b"test-sleutel"
P = uuid.uuid4()


def test_the_rule_names_what_is_shared_never_the_value():
    adres = vingerafdruk.adres_vingerafdruk(SLEUTEL, "Kerkstraat", "12", "9000")
    w, g = Vingerafdrukken("a" * 64, adres), Vingerafdrukken("b" * 64, adres)
    (vondst,) = gedeeld(P, w, g)
    assert (vondst.regel, vondst.toelichting) == (Regel.GEDEELDE_IBAN_OF_ADRES, "the worker and the gebruiker share: adres")
    assert adres not in vondst.toelichting
    (beide,) = gedeeld(P, Vingerafdrukken("a" * 64, adres), Vingerafdrukken("a" * 64, adres))
    assert beide.toelichting.endswith("iban, adres")


def test_different_missing_or_unknown_fingerprints_raise_nothing():
    assert gedeeld(P, Vingerafdrukken("a", "x"), Vingerafdrukken("b", "y")) == []
    assert gedeeld(P, Vingerafdrukken(None, None), Vingerafdrukken(None, None)) == []  # None never matches
    assert gedeeld(P, None, Vingerafdrukken("a", "x")) == []


async def test_a_prestatie_whose_worker_lives_at_the_gebruikers_address_is_flagged_once():
    w, g, org = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    p = Prestatie(P, w, g, org, uuid.uuid4(), date(2026, 3, 5), 2, 0)
    uow = FakeChequesUnitOfWork(prestaties=[p])
    adres = vingerafdruk.adres_vingerafdruk(SLEUTEL, "Kerkstraat", "12", "9000")
    await referentie.wijkwerker_vingerafdrukken(WijkwerkerIngeschreven(
        wijkwerker_id=w, organisator_id=org, domicilie_nis_code="44021", uitkeringsstatus="leefloon", ex_pwa=False,
        onbeperkt_recht=False, ingeschreven_op=date(2026, 1, 5), iban_vingerafdruk="a" * 64,
        adres_vingerafdruk=adres), uow)
    await referentie.gebruiker_vingerafdrukken(GebruikerGeregistreerd(
        gebruiker_id=g, categorie="particulier", geslacht=None, aangemeld_op=date(2026, 1, 2), aangemeld_bij=org,
        adres_vingerafdruk=vingerafdruk.adres_vingerafdruk(SLEUTEL, " kerkstraat ", "12", "9000")), uow)
    (signaal,) = await signalen.controleer(p, uow, Drempels())
    assert (signaal.regel, signaal.prestatie_id, signaal.datum) == (Regel.GEDEELDE_IBAN_OF_ADRES, P, p.datum)
    assert [type(e) for e in uow._events] == [SignaalGemeld]
    assert await signalen.controleer(p, uow, Drempels()) == []  # a redelivery raises nothing new
