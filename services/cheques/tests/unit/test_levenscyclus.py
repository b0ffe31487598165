"""The payout run's lifecycle: states in order only, four eyes, and what a bank's status
report or return does to the run and its transfers."""

from datetime import date

import pytest

from cheques.domain import levenscyclus as lc
from cheques.domain.levenscyclus import Overschrijvingsstatus as O
from cheques.domain.levenscyclus import Rondestatus as R


def test_a_run_is_approved_by_someone_other_than_its_author():
    assert lc.keur_goed(R.OPGESTELD, "boekhouder-1", "controleur-2") == R.GOEDGEKEURD


def test_the_author_approving_the_own_run_is_refused_with_the_four_eyes_rule():
    with pytest.raises(lc.VierOgen) as fout:
        lc.keur_goed(R.OPGESTELD, "boekhouder-1", "boekhouder-1")
    assert (fout.value.status, fout.value.rule) == (403, "uitbetaling-vier-ogen")


def test_a_run_without_a_recorded_author_cannot_be_approved_by_an_empty_subject():
    with pytest.raises(lc.VierOgen):
        lc.keur_goed(R.OPGESTELD, "", "")


@pytest.mark.parametrize("status", [R.GOEDGEKEURD, R.VERZONDEN, R.BEVESTIGD, R.GEWEIGERD])
def test_only_a_drawn_up_run_is_approved(status):
    with pytest.raises(lc.StatusOngeldig) as fout:
        lc.keur_goed(status, "a", "b")
    assert (fout.value.status, fout.value.rule) == (409, "uitbetaling-status-ongeldig")
    assert fout.value.extra["status_nu"] == str(status)


@pytest.mark.parametrize("status", [R.OPGESTELD, R.VERZONDEN, R.BEVESTIGD, R.GEWEIGERD])
def test_only_an_approved_run_is_sent(status):
    with pytest.raises(lc.StatusOngeldig):
        lc.verzend(status, 3)


def test_sending_an_approved_run_and_a_run_that_pays_nobody():
    assert lc.verzend(R.GOEDGEKEURD, 3) == R.VERZONDEN
    with pytest.raises(lc.StatusOngeldig) as fout:
        lc.verzend(R.GOEDGEKEURD, 0)
    assert fout.value.rule == "geen-sepa-bestand"


def test_the_file_exists_only_from_approval_on():
    with pytest.raises(lc.StatusOngeldig):
        lc.bestand_beschikbaar(R.OPGESTELD)
    for status in (R.GOEDGEKEURD, R.VERZONDEN, R.BEVESTIGD, R.GEWEIGERD):
        lc.bestand_beschikbaar(status)


def _rapport(groep=None, *transacties, reden=None):
    return lc.Statusrapport("STS-1", "WIJKWERK-UITBETALING-2026-03", groep, reden, date(2026, 4, 3),
                            tuple(lc.Transactiestatus(*t) for t in transacties))


OPEN = {"E1": O.IN_BEHANDELING, "E2": O.IN_BEHANDELING, "E3": O.IN_BEHANDELING}


def test_a_partly_accepted_run_is_confirmed_with_the_rejected_transfer_refused():
    status, wijzigingen = lc.verwerk_statusrapport(R.VERZONDEN, OPEN, _rapport("PART", ("E2", "RJCT", "AC04")))
    assert status == R.BEVESTIGD
    assert [(w.end_to_end_id, w.status, w.reden) for w in wijzigingen] == [
        ("E1", O.BETAALD, None), ("E2", O.GEWEIGERD, "AC04"), ("E3", O.BETAALD, None)]


def test_a_group_rejection_refuses_the_run_and_every_transfer():
    status, wijzigingen = lc.verwerk_statusrapport(R.VERZONDEN, OPEN, _rapport("RJCT", reden="AM04"))
    assert status == R.GEWEIGERD
    assert {(w.status, w.reden) for w in wijzigingen} == {(O.GEWEIGERD, "AM04")}


def test_a_pending_report_changes_only_the_transfers_it_decides():
    status, wijzigingen = lc.verwerk_statusrapport(R.VERZONDEN, OPEN, _rapport("PDNG", ("E1", "RJCT", "AC01")))
    assert status == R.VERZONDEN
    assert [(w.end_to_end_id, w.status) for w in wijzigingen] == [("E1", O.GEWEIGERD)]
    # a later report settles the rest
    na = OPEN | {"E1": O.GEWEIGERD}
    status, wijzigingen = lc.verwerk_statusrapport(R.VERZONDEN, na, _rapport("ACSC"))
    assert status == R.BEVESTIGD and [w.end_to_end_id for w in wijzigingen] == ["E2", "E3"]


def test_a_status_report_is_refused_before_the_run_was_sent_and_for_unknown_transfers():
    for status in (R.OPGESTELD, R.GOEDGEKEURD, R.BEVESTIGD):
        with pytest.raises(lc.StatusOngeldig):
            lc.verwerk_statusrapport(status, OPEN, _rapport("ACSC"))
    with pytest.raises(lc.StatusOngeldig) as fout:
        lc.verwerk_statusrapport(R.VERZONDEN, OPEN, _rapport(None, ("E9", "RJCT", "AC04")))
    assert fout.value.rule == "statusrapport-onbekende-overschrijving"


def test_a_paid_transfer_is_not_rejected_afterwards_by_a_status_report():
    with pytest.raises(lc.StatusOngeldig) as fout:
        lc.verwerk_statusrapport(R.VERZONDEN, OPEN | {"E1": O.BETAALD}, _rapport(None, ("E1", "RJCT", "AC04")))
    assert fout.value.rule == "statusrapport-tegenstrijdig"


def test_a_rejection_of_a_transfer_returned_already_changes_nothing_but_the_rest():
    status, wijzigingen = lc.verwerk_statusrapport(
        R.VERZONDEN, OPEN | {"E1": O.TERUGGESTORT}, _rapport("PART", ("E1", "RJCT", "AC04")))
    assert status == R.BEVESTIGD
    assert [(w.end_to_end_id, w.status) for w in wijzigingen] == [("E2", O.BETAALD), ("E3", O.BETAALD)]
    with pytest.raises(lc.StatusOngeldig):  # refused first, then reported paid
        lc.verwerk_statusrapport(R.VERZONDEN, OPEN | {"E1": O.GEWEIGERD}, _rapport(None, ("E1", "ACSC", None)))


def test_a_return_counts_once_and_only_for_a_sent_run():
    assert lc.verwerk_terugstorting(R.BEVESTIGD, O.BETAALD) is True
    assert lc.verwerk_terugstorting(R.VERZONDEN, O.IN_BEHANDELING) is True
    assert lc.verwerk_terugstorting(R.BEVESTIGD, O.TERUGGESTORT) is False
    assert lc.verwerk_terugstorting(R.BEVESTIGD, O.GEWEIGERD) is False
    with pytest.raises(lc.StatusOngeldig):
        lc.verwerk_terugstorting(R.GOEDGEKEURD, O.IN_BEHANDELING)
