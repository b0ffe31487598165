"""Who may subscribe to which outbound webhooks, and where they may be sent (pure rules)."""

import uuid

import pytest

from evaluatie.domain import webhooks
from wijkwerk.events import registry
from wijkwerk.fouten import GeenToegang as Verboden
from wijkwerk.fouten import OngeldigeInvoer

ORG = str(uuid.uuid4())


def test_every_catalogue_type_is_a_registered_event_and_sends_only_its_fields():
    for soort in webhooks.CATALOGUS.values():
        velden = registry.model_for(soort.event).model_fields
        assert set(soort.velden) <= set(velden), soort.event
    assert "referentie" not in webhooks.CATALOGUS["prestatie.geregistreerd"].velden


def test_central_callers_subscribe_to_anything_for_all_or_one_organiser():
    assert webhooks.bereik("vdab", None, None, list(webhooks.CATALOGUS)) is None
    assert webhooks.bereik("service", None, ORG, ["uitbetaling.uitgevoerd"]) == ORG


def test_an_organiser_is_limited_to_its_own_and_not_to_central_types():
    assert webhooks.bereik("organisator", ORG, None, ["traject.gestart"]) == ORG
    assert webhooks.bereik("organisator", ORG, ORG, ["traject.gestart"]) == ORG
    with pytest.raises(Verboden) as e:
        webhooks.bereik("organisator", ORG, str(uuid.uuid4()), ["traject.gestart"])
    assert e.value.rule == "abonnement-buiten-scope"
    with pytest.raises(Verboden) as e:
        webhooks.bereik("organisator", ORG, None, ["traject.gestart", "uitbetaling.uitgevoerd"])
    assert e.value.rule == "type-buiten-scope"


@pytest.mark.parametrize("org_type", ["toeleider", "gebruiker", None, "", "VDAB"])
def test_anyone_else_is_denied(org_type):
    with pytest.raises(Verboden) as e:
        webhooks.bereik(org_type, ORG, None, ["traject.gestart"])
    assert e.value.rule == "abonnement-niet-toegestaan"


def test_an_unknown_type_is_refused_before_anything_else():
    with pytest.raises(OngeldigeInvoer) as e:
        webhooks.bereik("toeleider", ORG, None, ["traject.verlengd"])
    assert e.value.rule == "type-onbekend"


@pytest.mark.parametrize(("url", "productie"), [
    ("https://backoffice.example.be/h", True), ("https://8.8.8.8/h", True),
    ("http://127.0.0.1:8080/h", False), ("http://localhost/h", False),
])
def test_allowed_targets(url, productie):
    assert webhooks.controleer_url(url, productie=productie) == url


@pytest.mark.parametrize(("url", "productie"), [
    ("http://backoffice.example.be/h", False), ("http://127.0.0.1/h", True), ("https://10.1.2.3/h", True),
    ("https://169.254.169.254/latest", True), ("https://user:pw@example.be/h", True), ("ftp://example.be/h", False),
    ("https:///h", True), ("https://localhost/h", True),
])
def test_refused_targets(url, productie):
    with pytest.raises(OngeldigeInvoer) as e:
        webhooks.controleer_url(url, productie=productie)
    assert e.value.rule == "url-ongeldig"


async def test_in_production_a_name_resolving_to_a_private_address_is_not_called():
    from evaluatie.adapters.verzender import HttpVerzender
    from evaluatie.adapters.webhooks import TeLeveren

    class GeenVerzoek:
        async def post(self, *a, **kw):
            raise AssertionError("no request may be made")

    levering = TeLeveren(uuid.uuid4(), uuid.uuid4(), b"{}", 0, 0, "https://localhost:8443/h", ("whsec_AAAA",))
    status, fout = await HttpVerzender(GeenVerzoek(), alleen_publiek=True).stuur(levering)
    assert status is None and "private or local" in fout
