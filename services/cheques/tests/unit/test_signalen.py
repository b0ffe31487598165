"""Issue #23 item 4: the fraud and error rules and a flag's life, without I/O."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from cheques.adapters.toeleiding import Bankrekening
from cheques.domain.signaal import (
    Blok,
    Drempels,
    Regel,
    Signaal,
    Status,
    gedeelde_rekeningen,
    overlappingen,
    te_veel_uren,
    veel_wijkwerkers,
)
from cheques.domain.uitbetaling import Periode
from cheques.service_layer.uitbetalingen import voer_uit
from wijkwerk.events.cheques import SignaalGemeld
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

from .fakes import FakeChequesUnitOfWork, FakeGrootboek

W, G1, G2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
DAG = date(2026, 3, 5)


def blok(start: time | None, minuten: int | None, *, w=W, g=G1, uren: int = 2) -> Blok:
    return Blok(uuid.uuid4(), w, g, DAG, uren, start, minuten)


def test_overlapping_hours_at_two_gebruikers_flag_both_prestaties():
    a, b, c = blok(time(9), 120), blok(time(10, 30), 60, g=G2), blok(time(11, 30), 60, g=G2)
    vondsten = {v.prestatie_id: v for v in overlappingen([a, b, c])}
    assert set(vondsten) == {a.prestatie_id, b.prestatie_id}  # c starts when b ends: no overlap
    assert all(v.regel is Regel.OVERLAPPENDE_UREN for v in vondsten.values())
    assert str(G2) in vondsten[a.prestatie_id].toelichting


def test_no_overlap_between_workers_or_without_a_start():
    assert overlappingen([blok(time(9), 120), blok(time(9), 120, w=uuid.uuid4()), blok(None, None)]) == []


def test_more_than_n_started_hours_on_a_day_flags_the_days_prestaties():
    d = Drempels(max_uren_per_dag=8)
    assert te_veel_uren([blok(time(8), 240, uren=4), blok(time(13), 240, uren=4)], d) == []
    vondsten = te_veel_uren([blok(time(8), 240, uren=4), blok(time(13), 300, uren=5)], d)
    assert [v.regel for v in vondsten] == [Regel.TE_VEEL_UREN_OP_EEN_DAG] * 2
    assert "9 started hours" in vondsten[0].toelichting


def test_one_gebruiker_with_more_than_n_workers_on_a_day():
    d = Drempels(max_wijkwerkers_per_gebruiker_per_dag=2)
    twee = [blok(time(9), 60, w=uuid.uuid4()) for _ in range(2)]
    assert veel_wijkwerkers(twee + [blok(time(11), 60, w=twee[0].wijkwerker_id)], d) == []
    drie = twee + [blok(time(9), 60, w=uuid.uuid4())]
    assert {v.regel for v in veel_wijkwerkers(drie, d)} == {Regel.GEBRUIKER_VEEL_WIJKWERKERS}


def test_a_flag_has_one_id_per_prestatie_and_rule():
    a = blok(time(9), 120)
    [eerste] = te_veel_uren([a], Drempels(max_uren_per_dag=1))
    [tweede] = te_veel_uren([a], Drempels(max_uren_per_dag=1))
    assert eerste.signaal_id == tweede.signaal_id


def _signaal() -> Signaal:
    return Signaal(uuid.uuid4(), uuid.uuid4(), Regel.OVERLAPPENDE_UREN, W, G1, uuid.uuid4(), DAG, "…", 1530)


def test_a_flag_is_decided_once_with_a_reason_on_or_after_its_date():
    s = _signaal()
    with pytest.raises(OngeldigeInvoer) as fout:
        s.beslis(Status.VRIJGEGEVEN, date(2026, 3, 4), "ops", "ok")
    assert fout.value.rule == "beslissing-voor-signaal"
    with pytest.raises(OngeldigeInvoer) as fout:
        s.beslis(Status.VRIJGEGEVEN, DAG, "ops", "  ")
    assert fout.value.rule == "reden-ontbreekt"
    s.beslis(Status.AFGEWEZEN, date(2026, 4, 2), "ops", "dubbel ingegeven")
    assert (s.status, s.besloten_op, s.besloten_door) == (Status.AFGEWEZEN, date(2026, 4, 2), "ops")
    with pytest.raises(BestaatAl) as fout:
        s.beslis(Status.VRIJGEGEVEN, date(2026, 4, 3), "ops", "toch")
    assert fout.value.rule == "signaal-al-beslist"


def test_more_than_n_workers_on_one_account_share_it_spaces_and_case_ignored():
    a, b, c, d = sorted(uuid.uuid4() for _ in range(4))
    rekeningen = {a: "BE68 5390 0754 7034", b: "be68539007547034", c: "BE68539007547034", d: "BE62510007547061"}
    assert gedeelde_rekeningen(rekeningen, Drempels(max_wijkwerkers_per_rekening=2)) == {
        a: [b, c], b: [a, c], c: [a, b]}
    assert gedeelde_rekeningen(rekeningen, Drempels(max_wijkwerkers_per_rekening=3)) == {}
    assert gedeelde_rekeningen(rekeningen, Drempels(max_wijkwerkers_per_rekening=0)) == {}  # off


def test_a_worker_level_flag_is_only_released():
    s = Signaal(uuid.uuid4(), None, Regel.GEDEELDE_REKENING, W, None, uuid.uuid4(), DAG, "…", 1230)
    with pytest.raises(OngeldigeInvoer) as fout:
        s.beslis(Status.AFGEWEZEN, DAG, "ops", "fraude")
    assert fout.value.rule == "signaal-alleen-vrijgeven"
    s.beslis(Status.VRIJGEGEVEN, DAG, "ops", "rekening verbeterd in toeleiding")


class _Bank:
    def __init__(self, rekeningen: dict) -> None:
        self.rekeningen = rekeningen

    async def haal(self, wijkwerker_ids):
        return {w: Bankrekening("naam", self.rekeningen[w]) for w in wijkwerker_ids if w in self.rekeningen}


async def test_the_payout_run_holds_every_worker_on_an_account_shared_by_too_many():
    een, twee, drie, apart = sorted(uuid.uuid4() for _ in range(4))
    uow = FakeChequesUnitOfWork(grootboek=FakeGrootboek({w: (820, 0) for w in (een, twee, drie, apart)}))
    bank = _Bank({een: "BE68539007547034", twee: "BE68539007547034", drie: "BE68539007547034",
                  apart: "BE62510007547061"})
    ronde = await voer_uit(Periode(2026, 3), lambda: uow, bank, vandaag=date(2026, 4, 2), door="boekhouder")
    assert [u.wijkwerker_id for u in ronde.uitbetalingen] == [apart]
    gemeld = [e for e in uow.events if isinstance(e, SignaalGemeld)]
    assert sorted(e.wijkwerker_id for e in gemeld) == [een, twee, drie]
    assert {(e.regel, e.prestatie_id, e.datum, e.bedrag_cent) for e in gemeld} == {
        ("gedeelde-rekening", None, date(2026, 4, 1), 820)}
    assert all("BE68" not in e.toelichting for e in gemeld)  # the IBAN stays out of the event
