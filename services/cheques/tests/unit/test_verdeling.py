"""The split of a cheque's price (DOMAIN §3.7 table, A-04 – A-06) and its effective-dated rates."""

from datetime import date

import pytest

from cheques.domain.tarieven import Soort, Tarieven
from cheques.domain.verdeling import Verdeling, verdeel
from wijkwerk.fouten import OngeldigeInvoer

START = date(2018, 1, 1)
RIJEN = [
    ("loon_per_uur", START, 410), ("verzekering", START, 42), ("reisfonds", START, 10),
    ("uitgeverkost_papier", START, 58), ("uitgeverkost_elektronisch", START, 48), ("geldigheid_maanden", START, 12),
]
TARIEVEN = Tarieven.van(RIJEN)
BESTELD, PRESTATIE = date(2026, 1, 10), date(2026, 2, 3)


@pytest.mark.parametrize(
    ("prijs", "drager", "uitgever", "restant"),
    [
        (595, "papier", 58, 75), (595, "elektronisch", 48, 85),
        (645, "papier", 58, 125), (645, "elektronisch", 48, 135),
        (695, "papier", 58, 175), (695, "elektronisch", 48, 185),
        (745, "papier", 58, 225), (745, "elektronisch", 48, 235),
    ],
)
def test_every_tariff_and_carrier_splits_as_the_domain_table(prijs, drager, uitgever, restant):
    v = verdeel(prijs, drager, BESTELD, PRESTATIE, TARIEVEN)
    assert v == Verdeling(wijkwerker=410, verzekering=42, reisfonds=10, uitgever=uitgever, organisator=restant)
    assert v.prijs == prijs


def test_shares_follow_the_prestatie_date_and_the_fee_the_order_date():
    wijziging = date(2026, 2, 1)
    tarieven = Tarieven.van([*RIJEN, ("loon_per_uur", wijziging, 450), ("verzekering", wijziging, 45),
                             ("uitgeverkost_papier", wijziging, 30)])
    # Ordered in January (old fee 58), worked in February (new pay 450 and insurance 45).
    v = verdeel(745, "papier", BESTELD, PRESTATIE, tarieven)
    assert (v.wijkwerker, v.verzekering, v.reisfonds, v.uitgever, v.organisator) == (450, 45, 10, 58, 182)
    # Worked the day before the change: the old shares; ordered after it: the new fee.
    v = verdeel(745, "papier", date(2026, 2, 1), date(2026, 1, 31), tarieven)
    assert (v.wijkwerker, v.verzekering, v.uitgever, v.organisator) == (410, 42, 30, 253)
    assert v.prijs == 745


def test_a_split_whose_remainder_would_be_negative_is_refused():
    tarieven = Tarieven.van([*RIJEN, ("loon_per_uur", date(2026, 1, 1), 500)])
    with pytest.raises(OngeldigeInvoer) as exc:
        verdeel(595, "papier", BESTELD, PRESTATIE, tarieven)
    assert exc.value.rule == "restant-negatief"
    # A remainder of exactly zero is still a split.
    assert verdeel(500 + 42 + 10 + 48, "elektronisch", BESTELD, PRESTATIE, tarieven).organisator == 0


def test_an_issuer_fee_of_zero_works_and_an_unknown_carrier_is_refused():
    tarieven = Tarieven.van([*RIJEN, ("uitgeverkost_elektronisch", date(2026, 1, 1), 0)])
    assert verdeel(745, "elektronisch", BESTELD, PRESTATIE, tarieven).organisator == 283
    with pytest.raises(OngeldigeInvoer) as exc:
        verdeel(745, "factuur", BESTELD, PRESTATIE, tarieven)
    assert exc.value.rule == "drager-onbekend"


def test_a_rate_is_valid_from_its_date_until_the_next_row():
    tarieven = Tarieven.van([*RIJEN, ("reisfonds", date(2027, 1, 1), 12)])
    assert tarieven.op(Soort.REISFONDS, date(2026, 12, 31)) == 10
    assert tarieven.op(Soort.REISFONDS, date(2027, 1, 1)) == 12
    with pytest.raises(OngeldigeInvoer) as exc:
        tarieven.op(Soort.REISFONDS, date(2017, 12, 31))
    assert exc.value.rule == "tarief-onbekend"
