"""Webhook signatures: HMAC over timestamp and raw body, staleness and future skew."""

import pytest

from cheques.domain import handtekening
from cheques.domain.fouten import Geweigerd

GEHEIM, NU, BODY = "s3cret", 1_800_000_000, b'{"type":"cheque.vervallen"}'


def _controleer(geheim=GEHEIM, ts=NU, handtekening_=None, body=BODY, nu=NU):
    sig = handtekening_ if handtekening_ is not None else handtekening.onderteken(GEHEIM, ts, BODY)
    return handtekening.controleer(geheim, str(ts), sig, body, nu=nu, max_leeftijd_s=300, max_voorsprong_s=60)


def test_a_good_signature_within_the_window_is_accepted():
    assert _controleer() == NU
    assert _controleer(nu=NU + 300) == NU  # exactly five minutes old
    assert _controleer(nu=NU - 60) == NU  # exactly one minute ahead


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(GEHEIM.encode(), f"{NU}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert handtekening.onderteken(GEHEIM, NU, BODY) == f"v1={expected}"


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"body": BODY + b" "}, "handtekening-ongeldig"),
        ({"handtekening_": "v1=" + "0" * 64}, "handtekening-ongeldig"),
        ({"geheim": "ander"}, "handtekening-ongeldig"),
        ({"geheim": None}, "handtekening-ongeldig"),
        ({"nu": NU + 301}, "webhook-verouderd"),
        ({"nu": NU - 61}, "webhook-uit-de-toekomst"),
        ({"handtekening_": ""}, "handtekening-ontbreekt"),
    ],
)
def test_a_bad_stale_future_or_missing_signature_is_refused_with_401(kwargs, rule):
    with pytest.raises(Geweigerd) as exc:
        _controleer(**kwargs)
    assert (exc.value.status, exc.value.rule) == (401, rule)


def test_a_timestamp_that_is_not_unix_seconds_is_refused():
    with pytest.raises(Geweigerd) as exc:
        handtekening.controleer(GEHEIM, "gisteren", "v1=00", BODY, nu=NU, max_leeftijd_s=300, max_voorsprong_s=60)
    assert exc.value.rule == "tijdstip-ongeldig"
