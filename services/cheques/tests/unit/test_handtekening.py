"""Webhook signatures (Standard Webhooks): HMAC over delivery id, timestamp and raw body;
staleness, future skew, several signatures, and secrets valid in windows (rotation)."""

from datetime import UTC, datetime

import pytest

from cheques.domain import handtekening
from cheques.domain.fouten import Geweigerd
from cheques.domain.handtekening import Geheim

GEHEIM, NU, BODY, ID = "s3cret", 1_800_000_000, b'{"type":"cheque.vervallen"}', "lev-1"


def _controleer(geheimen=(Geheim(GEHEIM),), ts=NU, handtekening_=None, body=BODY, nu=NU, delivery=ID):
    sig = handtekening_ if handtekening_ is not None else handtekening.onderteken(GEHEIM, ID, ts, BODY)
    return handtekening.controleer(list(geheimen), delivery, str(ts), sig, body, nu=nu, max_leeftijd_s=300,
                                   max_voorsprong_s=60)


def test_a_good_signature_within_the_window_is_accepted():
    assert _controleer() == NU
    assert _controleer(nu=NU + 300) == NU  # exactly five minutes old
    assert _controleer(nu=NU - 60) == NU  # exactly one minute ahead


def test_the_signature_is_the_standard_webhooks_one():
    # the example of the Standard Webhooks / Svix documentation: a whsec_ secret is the
    # base64 key after its prefix, the content is "{id}.{timestamp}.{body}"
    sig = handtekening.onderteken("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                  1614265330, b'{"test": 2432232314}')
    assert sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_plain_secret_is_its_utf8_bytes():
    import base64
    import hashlib
    import hmac

    mac = hmac.new(GEHEIM.encode(), f"{ID}.{NU}.".encode() + BODY, hashlib.sha256).digest()
    assert handtekening.onderteken(GEHEIM, ID, NU, BODY) == f"v1,{base64.b64encode(mac).decode()}"


def test_the_delivery_id_is_signed_a_replay_under_another_id_is_refused():
    with pytest.raises(Geweigerd) as exc:
        _controleer(delivery="lev-2")
    assert exc.value.rule == "handtekening-ongeldig"


def test_one_matching_signature_among_several_suffices_and_other_versions_are_ignored():
    goed = handtekening.onderteken(GEHEIM, ID, NU, BODY)
    ander = handtekening.onderteken("ander", ID, NU, BODY)
    assert _controleer(handtekening_=f"{ander} v1a,{goed.partition(',')[2]} {goed}") == NU
    with pytest.raises(Geweigerd):
        _controleer(handtekening_=f"{ander} v1a,{goed.partition(',')[2]}")


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"body": BODY + b" "}, "handtekening-ongeldig"),
        ({"handtekening_": "v1," + "A" * 44}, "handtekening-ongeldig"),
        ({"handtekening_": "v1=" + "0" * 64}, "handtekening-ongeldig"),  # the old scheme's format
        ({"geheimen": [Geheim("ander")]}, "handtekening-ongeldig"),
        ({"geheimen": []}, "handtekening-ongeldig"),
        ({"nu": NU + 301}, "webhook-verouderd"),
        ({"nu": NU - 61}, "webhook-uit-de-toekomst"),
        ({"handtekening_": ""}, "handtekening-ontbreekt"),
        ({"delivery": ""}, "handtekening-ontbreekt"),
        ({"delivery": None}, "handtekening-ontbreekt"),
    ],
)
def test_a_bad_stale_future_or_missing_signature_is_refused_with_401(kwargs, rule):
    with pytest.raises(Geweigerd) as exc:
        _controleer(**kwargs)
    assert (exc.value.status, exc.value.rule) == (401, rule)


def test_a_timestamp_that_is_not_unix_seconds_is_refused():
    with pytest.raises(Geweigerd) as exc:
        handtekening.controleer([Geheim(GEHEIM)], ID, "gisteren", "v1,AA==", BODY, nu=NU, max_leeftijd_s=300,
                                max_voorsprong_s=60)
    assert exc.value.rule == "tijdstip-ongeldig"


# Rotation: the old secret until T, the new one from T - 1 day (the overlap).
T = datetime(2027, 1, 15, tzinfo=UTC)
OUD = Geheim("oud-geheim", geldig_tot=T)
NIEUW = Geheim("whsec_" + "bmlldXctZ2VoZWltLXZhbi0zMi1ieXRlcy0tLS0tLS0=", geldig_vanaf=datetime(2027, 1, 14, tzinfo=UTC))


def _met(geheim: str, nu: float) -> int:
    ts = int(nu)
    sig = handtekening.onderteken(geheim, ID, ts, BODY)
    return handtekening.controleer([OUD, NIEUW], ID, str(ts), sig, BODY, nu=nu, max_leeftijd_s=300,
                                   max_voorsprong_s=60)


def test_during_the_overlap_both_secrets_are_accepted_and_after_it_only_the_new_one():
    before, overlap, after = (datetime(2027, 1, d, 12, tzinfo=UTC).timestamp() for d in (13, 14, 15))
    assert _met(OUD.waarde, before)
    with pytest.raises(Geweigerd):
        _met(NIEUW.waarde, before)  # not yet valid
    assert _met(OUD.waarde, overlap) and _met(NIEUW.waarde, overlap)
    assert _met(NIEUW.waarde, after)
    with pytest.raises(Geweigerd) as exc:
        _met(OUD.waarde, after)
    assert (exc.value.status, exc.value.rule) == (401, "handtekening-ongeldig")
    # the window's end is exclusive
    with pytest.raises(Geweigerd):
        _met(OUD.waarde, T.timestamp())


def test_a_malformed_whsec_secret_is_refused():
    with pytest.raises(ValueError):
        _ = Geheim("whsec_niet base64!").sleutel
