import uuid
from datetime import date

import pytest

from prestaties.domain.activiteit import Activiteit, ActiviteitCategorie
from prestaties.domain.gebruiker import Gebruiker
from prestaties.domain.gebruiker import GebruikerCategorie as Cat
from wijkwerk.fouten import OngeldigeInvoer


def _gebruiker(categorie: Cat) -> Gebruiker:
    return Gebruiker.registreer(
        categorie=categorie, naam="x", aangemeld_op=date(2026, 1, 1), aangemeld_bij=uuid.uuid4(), geslacht=None
    )


def _groen() -> Activiteit:
    return Activiteit.neem_op(
        organisator_id=uuid.uuid4(), naam="Tuinonderhoud", categorie=ActiviteitCategorie.GROENONDERHOUD,
        toegelaten=frozenset({Cat.PARTICULIER, Cat.VZW}),
    )


def _afwijking(a: Activiteit, g: Gebruiker, **kw):
    args = dict(
        aangevraagd_op=date(2026, 2, 1), goedgekeurd_op=date(2026, 2, 15), geldig_van=date(2026, 3, 1),
        geldig_tot=date(2026, 12, 31), motivering="aanvullend",
    )
    args.update(kw)
    return a.sta_afwijking_toe(g, **args)


@pytest.mark.parametrize(("categorie", "toegelaten"), [
    (Cat.PARTICULIER, True), (Cat.VZW, True), (Cat.SCHOOL, False), (Cat.LOKAAL_BESTUUR, False),
    (Cat.LAND_EN_TUINBOUW, False), (Cat.POLITIE_BRANDWEER, False), (Cat.ANDERE, False),
])
def test_the_matrix_decides_per_gebruiker_category(categorie, toegelaten):
    assert _groen().toegelaten_bij(_gebruiker(categorie), date(2026, 3, 1)) is toegelaten


def test_a_refusal_names_the_rule():
    with pytest.raises(OngeldigeInvoer) as err:
        _groen().controleer_toegelaten(_gebruiker(Cat.SCHOOL), date(2026, 3, 1))
    assert err.value.rule == "activiteit-niet-toegelaten"


def test_the_organiser_edits_its_matrix():
    a, school = _groen(), _gebruiker(Cat.SCHOOL)
    a.wijzig_toegelaten(frozenset({Cat.SCHOOL}))
    assert a.toegelaten_bij(school, date(2026, 3, 1))
    assert not a.toegelaten_bij(_gebruiker(Cat.PARTICULIER), date(2026, 3, 1))
    assert a.version == 2


def test_a_deviation_allows_one_local_government_within_its_dates():
    a, gemeente, andere = _groen(), _gebruiker(Cat.LOKAAL_BESTUUR), _gebruiker(Cat.LOKAAL_BESTUUR)
    _afwijking(a, gemeente)
    assert a.toegelaten_bij(gemeente, date(2026, 3, 1))
    assert a.toegelaten_bij(gemeente, date(2026, 12, 31))
    assert not a.toegelaten_bij(gemeente, date(2026, 2, 28))  # approved, not yet valid
    assert not a.toegelaten_bij(gemeente, date(2027, 1, 1))
    assert not a.toegelaten_bij(andere, date(2026, 6, 1))  # another municipality: the matrix applies


def test_only_a_local_government_can_ask_for_a_deviation():
    with pytest.raises(OngeldigeInvoer) as err:
        _afwijking(_groen(), _gebruiker(Cat.SCHOOL))
    assert err.value.rule == "afwijking-alleen-lokaal-bestuur"


@pytest.mark.parametrize("kw", [
    {"goedgekeurd_op": date(2026, 1, 31)},
    {"geldig_tot": date(2026, 2, 28)},
])
def test_a_deviation_has_consistent_dates(kw):
    with pytest.raises(OngeldigeInvoer) as err:
        _afwijking(_groen(), _gebruiker(Cat.LOKAAL_BESTUUR), **kw)
    assert err.value.rule == "afwijking-ongeldig"
