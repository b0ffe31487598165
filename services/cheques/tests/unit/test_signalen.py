"""Issue #23 item 4: the fraud and error rules and a flag's life, without I/O."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from cheques.domain.signaal import Blok, Drempels, Regel, Signaal, Status, overlappingen, te_veel_uren, veel_wijkwerkers
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer

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
