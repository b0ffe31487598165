"""Outbound webhook signing and the retry schedule (wijkwerk.webhooks)."""

import base64

import pytest

from wijkwerk import webhooks


def test_signature_matches_the_standard_webhooks_test_vector():
    # The vector the Standard Webhooks reference libraries test against: a receiver's
    # off-the-shelf library verifies what we send.
    handtekening = webhooks.onderteken(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'
    )
    assert handtekening == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_headers_sign_with_every_secret_of_a_rotation_and_each_verifies():
    oud, nieuw = webhooks.nieuw_geheim(), webhooks.nieuw_geheim()
    h = webhooks.headers([nieuw, oud], "lev_1", 1700000000, b"{}")
    assert (h["webhook-id"], h["webhook-timestamp"]) == ("lev_1", "1700000000")
    assert len(h["webhook-signature"].split()) == 2
    assert webhooks.klopt(oud, "lev_1", 1700000000, b"{}", h["webhook-signature"])
    assert webhooks.klopt(nieuw, "lev_1", 1700000000, b"{}", h["webhook-signature"])
    assert not webhooks.klopt(webhooks.nieuw_geheim(), "lev_1", 1700000000, b"{}", h["webhook-signature"])
    assert not webhooks.klopt(nieuw, "lev_2", 1700000000, b"{}", h["webhook-signature"])  # the id is signed


def test_a_new_secret_is_whsec_with_24_random_bytes():
    geheim = webhooks.nieuw_geheim()
    assert geheim.startswith("whsec_") and len(base64.b64decode(geheim[6:])) == 24
    assert geheim != webhooks.nieuw_geheim()


def test_retry_waits_grow_exponentially_with_jitter_within_half_and_whole_and_cap():
    laag = [webhooks.wachttijd(n, basis_s=10, max_s=3600, toeval=lambda: 0.0) for n in range(1, 11)]
    hoog = [webhooks.wachttijd(n, basis_s=10, max_s=3600, toeval=lambda: 1.0) for n in range(1, 11)]
    assert laag[:4] == [5, 10, 20, 40] and hoog[:4] == [10, 20, 40, 80]
    assert hoog[-1] == 3600 and laag[-1] == 1800  # capped
    # whatever the jitter, a later wait is never shorter than an earlier one until the cap
    assert all(hoog[i] <= laag[i + 1] for i in range(8))
    with pytest.raises(ValueError):
        webhooks.wachttijd(0, basis_s=1, max_s=1)
