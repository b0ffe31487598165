import uuid
from datetime import date

import pytest

from prestaties.domain.traject import Schorsing, TrajectVenster, traject_op
from wijkwerk.fouten import NogOnbekend, OngeldigeInvoer

ORG = uuid.uuid4()


def _venster(**kw) -> TrajectVenster:
    args = dict(
        traject_id=uuid.uuid4(), wijkwerker_id=uuid.uuid4(), organisator_id=ORG, start=date(2026, 1, 10),
        gepland_einde=date(2026, 7, 9), overeenkomst_op=date(2026, 1, 10),
    )
    args.update(kw)
    return TrajectVenster(**args)


@pytest.mark.parametrize("dag", [date(2026, 1, 10), date(2026, 4, 1), date(2026, 7, 9)])
def test_the_window_is_inclusive(dag):
    v = _venster()
    assert traject_op([v], ORG, dag) is v


@pytest.mark.parametrize("dag", [date(2026, 1, 9), date(2026, 7, 10)])
def test_outside_the_window_is_buiten_traject(dag):
    with pytest.raises(OngeldigeInvoer) as err:
        traject_op([_venster()], ORG, dag)
    assert err.value.rule == "buiten-traject"


def test_an_actual_end_before_the_planned_end_closes_the_window():
    v = _venster(werkelijk_einde=date(2026, 3, 31))
    assert traject_op([v], ORG, date(2026, 3, 31)) is v
    with pytest.raises(OngeldigeInvoer):
        traject_op([v], ORG, date(2026, 4, 1))


def test_the_unlimited_right_has_no_end():
    v = _venster(gepland_einde=None)
    assert traject_op([v], ORG, date(2040, 1, 1)) is v


def test_another_organisers_trajectory_does_not_count():
    eigen = _venster(start=date(2025, 1, 10), gepland_einde=date(2025, 7, 9), overeenkomst_op=date(2025, 1, 10))
    with pytest.raises(OngeldigeInvoer) as err:
        traject_op([eigen, _venster(organisator_id=uuid.uuid4())], ORG, date(2026, 2, 1))
    assert err.value.rule == "buiten-traject"


def test_no_trajectory_with_the_organiser_known_yet_is_retryable_not_a_refusal():
    """Its TrajectGestart may still be on its way from toeleiding (issue #21, item 9)."""
    with pytest.raises(NogOnbekend) as err:
        traject_op([_venster()], uuid.uuid4(), date(2026, 2, 1))
    assert (err.value.rule, err.value.status, err.value.retry_after) == ("traject-nog-onbekend", 409, 2)


def test_no_prestaties_on_suspended_days():
    v = _venster(schorsingen=[Schorsing(date(2026, 3, 1), date(2026, 3, 10))])
    for dag in (date(2026, 3, 1), date(2026, 3, 10)):
        with pytest.raises(OngeldigeInvoer) as err:
            traject_op([v], ORG, dag)
        assert err.value.rule == "traject-geschorst"
    assert traject_op([v], ORG, date(2026, 3, 11)) is v


def test_work_starts_once_the_agreement_is_signed():
    v = _venster(overeenkomst_op=date(2026, 1, 20))
    with pytest.raises(OngeldigeInvoer) as err:
        traject_op([v], ORG, date(2026, 1, 15))
    assert err.value.rule == "geen-wijkwerkovereenkomst"
    with pytest.raises(OngeldigeInvoer):
        traject_op([_venster(overeenkomst_op=None)], ORG, date(2026, 2, 1))


def test_a_re_referral_opens_a_second_window():
    eerste = _venster(werkelijk_einde=date(2026, 2, 28))
    tweede = _venster(start=date(2026, 6, 1), gepland_einde=date(2027, 5, 31), overeenkomst_op=date(2026, 6, 1))
    assert traject_op([eerste, tweede], ORG, date(2026, 6, 15)) is tweede
    with pytest.raises(OngeldigeInvoer):
        traject_op([eerste, tweede], ORG, date(2026, 4, 1))
