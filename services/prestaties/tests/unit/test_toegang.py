import uuid

import pytest

from prestaties.domain.prestatie import Partij
from prestaties.entrypoints.toegang import beperking, partij, ziet
from wijkwerk.auth import Principal
from wijkwerk.problems import Problem

ORG, GEBRUIKER = uuid.uuid4(), uuid.uuid4()


def _p(org_type, org=None) -> Principal:
    return Principal(subject="t", scopes=frozenset(), org=str(org) if org else None, org_type=org_type)


@pytest.mark.parametrize("org_type", ["vdab", "service"])
def test_central_callers_see_everything(org_type):
    assert ziet(_p(org_type), organisator_id=uuid.uuid4())
    assert beperking(_p(org_type)) == {}


def test_an_organiser_sees_only_its_own_area():
    organisator = _p("organisator", ORG)
    assert ziet(organisator, organisator_id=ORG)
    assert not ziet(organisator, organisator_id=uuid.uuid4(), gebruiker_id=GEBRUIKER)
    assert beperking(organisator) == {"organisator_id": ORG}


def test_a_gebruiker_sees_only_its_own_data():
    gebruiker = _p("gebruiker", GEBRUIKER)
    assert ziet(gebruiker, organisator_id=ORG, gebruiker_id=GEBRUIKER)
    assert not ziet(gebruiker, organisator_id=ORG)
    assert beperking(gebruiker) == {"gebruiker_id": GEBRUIKER}


@pytest.mark.parametrize(
    "principal", [_p("toeleider", "ocmw-gent"), _p("issuer", "x"), _p("organisator", None), _p(None), _p("VDAB")]
)
def test_any_other_caller_sees_nothing(principal):
    assert not ziet(principal, organisator_id=ORG, gebruiker_id=GEBRUIKER)
    assert beperking(principal) is None


def test_a_gebruiker_token_speaks_only_for_the_gebruiker():
    assert partij(_p("gebruiker", GEBRUIKER), Partij.GEBRUIKER) is Partij.GEBRUIKER
    with pytest.raises(Problem) as err:
        partij(_p("gebruiker", GEBRUIKER), Partij.WIJKWERKER)
    assert (err.value.status, err.value.rule) == (403, "partij-past-niet-bij-token")
    assert partij(_p("organisator", ORG), Partij.WIJKWERKER) is Partij.WIJKWERKER
