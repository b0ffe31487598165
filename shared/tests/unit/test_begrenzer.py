"""The adaptive limit of requests in flight (wijkwerk.http.begrenzer), driven by a clock
of the test's own: slow requests lower the limit, fast ones raise it again."""

from wijkwerk.http.begrenzer import Begrenzer


class Klok:
    def __init__(self) -> None:
        self.nu = 100.0

    def __call__(self) -> float:
        return self.nu


def _begrenzer(klok: Klok, max_limiet: int = 32) -> Begrenzer:
    return Begrenzer(max_limiet=max_limiet, doel_s=0.1, min_limiet=4, interval_s=1.0, verlaging=0.5, klok=klok)


def _verzoek(b: Begrenzer, klok: Klok, duur_s: float) -> None:
    gestart = b.neem()
    assert gestart is not None
    klok.nu += duur_s
    b.geef_terug(gestart)


def test_it_starts_at_the_maximum_and_refuses_past_the_limit():
    klok = Klok()
    b = _begrenzer(klok, max_limiet=4)
    slots = [b.neem() for _ in range(4)]
    assert None not in slots
    assert b.neem() is None and not b.vrij()
    b.geef_terug(slots[0])
    assert b.vrij() and b.neem() is not None


def test_a_slow_request_lowers_the_limit_once_per_interval():
    klok = Klok()
    b = _begrenzer(klok)
    _verzoek(b, klok, 0.5)
    assert b.limiet == 16
    _verzoek(b, klok, 0.5)  # within the same interval: one slow burst is one signal
    assert b.limiet == 16
    klok.nu += 1.0
    _verzoek(b, klok, 0.5)
    assert b.limiet == 8


def test_the_limit_never_drops_below_its_minimum():
    klok = Klok()
    b = _begrenzer(klok)
    for _ in range(10):
        klok.nu += 1.0
        _verzoek(b, klok, 0.5)
    assert b.limiet == 4


def test_fast_requests_raise_the_limit_by_about_one_per_window_up_to_the_maximum():
    klok = Klok()
    b = _begrenzer(klok)
    _verzoek(b, klok, 0.5)
    assert b.limiet == 16
    for _ in range(17):  # 1/16 + 1/16.06 + …: one more slot after a limit's worth and one
        _verzoek(b, klok, 0.01)
    assert b.limiet == 17
    for _ in range(10_000):
        _verzoek(b, klok, 0.01)
    assert b.limiet == 32


def test_slots_freed_by_a_lower_limit_are_not_handed_out_until_the_work_in_flight_drops():
    klok = Klok()
    b = _begrenzer(klok, max_limiet=8)
    slots = [b.neem() for _ in range(8)]
    klok.nu += 0.5
    b.geef_terug(slots.pop())  # slow: the limit falls to 4 with 7 still in flight
    assert b.limiet == 4 and not b.vrij()
    for gestart in slots[:3]:
        b.geef_terug(gestart)
    assert not b.vrij()  # 4 in flight, limit 4
    b.geef_terug(slots[3])
    assert b.vrij()


def test_an_event_loop_running_late_lowers_the_limit_below_its_floor_down_to_one():
    klok = Klok()
    b = _begrenzer(klok, max_limiet=16)  # floor 4
    b.achterstand(0.05)  # late, but within the target: no signal
    assert b.limiet == 16
    for _ in range(6):
        klok.nu += 1.0
        b.achterstand(0.5)
    assert b.limiet == 1  # 16 → 8 → 4 → 2 → 1 → 1 → 1
    b.achterstand(0.5)  # within the same interval: one signal
    assert b.limiet == 1
    for _ in range(3):  # and fast requests raise it again
        _verzoek(b, klok, 0.01)
    assert b.limiet == 2
