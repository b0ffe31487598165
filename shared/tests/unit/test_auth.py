import time
import uuid

import jwt
import pytest

from wijkwerk.auth import Principal, TokenVerifier, ensure_local_keypair, mint_token, sees_organisation
from wijkwerk.problems import Problem
from wijkwerk.settings import AuthSettings


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    return ensure_local_keypair(tmp_path_factory.mktemp("keys"))


def _verifier(public: str) -> TokenVerifier:
    return TokenVerifier(AuthSettings(public_key_file=public))


def test_a_minted_token_verifies_with_its_scopes_and_organisation(keys):
    private, public = keys
    org = "6f1c0d4e-2b1a-4d7e-9a51-0c2f8e3b7a10"
    token = mint_token(private, subject="org-1", scopes=["a:read", "a:write"], org=org, org_type="organisator")
    principal = _verifier(str(public)).verify(token)
    assert principal.scopes == {"a:read", "a:write"}
    assert (principal.org, principal.org_type, principal.subject) == (org, "organisator", "org-1")


def test_the_keypair_is_made_once_and_reused(keys, tmp_path):
    private, _ = keys
    again, _ = ensure_local_keypair(private.parent)
    assert again.read_bytes() == private.read_bytes()


def test_an_expired_token_is_refused(keys):
    private, public = keys
    token = mint_token(private, subject="x", scopes=[], ttl_seconds=-120)
    with pytest.raises(Problem) as err:
        _verifier(str(public)).verify(token)
    assert (err.value.status, err.value.rule) == (401, "token-verlopen")


def test_a_token_signed_with_another_key_is_refused(keys, tmp_path):
    other_private, _ = ensure_local_keypair(tmp_path / "other")
    _, public = keys
    token = mint_token(other_private, subject="x", scopes=["a:read"])
    with pytest.raises(Problem) as err:
        _verifier(str(public)).verify(token)
    assert err.value.rule == "token-ongeldig"


def test_a_wrong_audience_is_refused(keys):
    private, public = keys
    token = mint_token(private, subject="x", scopes=[], audience="iets-anders")
    with pytest.raises(Problem):
        _verifier(str(public)).verify(token)


def test_an_unsigned_token_is_refused(keys):
    _, public = keys
    now = int(time.time())
    token = jwt.encode({"sub": "x", "iat": now, "exp": now + 60, "aud": "wijkwerk", "iss": "wijkwerk-local"}, None, algorithm="none")
    with pytest.raises(Problem):
        _verifier(str(public)).verify(token)


def test_an_organiser_sees_only_its_own_organisation():
    own = Principal(subject="s", scopes=frozenset(), org="o1", org_type="organisator")
    assert sees_organisation(own, "o1")
    assert not sees_organisation(own, "o2")
    central = Principal(subject="vdab", scopes=frozenset(), org_type="vdab")
    assert sees_organisation(central, "o2")


def test_referrers_and_gebruikers_see_no_organisation_wide_data_by_default():
    from wijkwerk.auth import GEEN_ORGANISATOR, gegevensscope

    for org_type in ("toeleider", "gebruiker", "wijkwerker", "iets-anders", None):
        caller = Principal(subject="s", scopes=frozenset(), org="x", org_type=org_type)
        assert not sees_organisation(caller, "o1")
        assert gegevensscope(caller).niets and gegevensscope(caller).beperk(uuid.uuid4()) == GEEN_ORGANISATOR
    organiser_without_org = Principal(subject="s", scopes=frozenset(), org=None, org_type="organisator")
    assert gegevensscope(organiser_without_org).niets
    for org_type in ("vdab", "service"):
        central = Principal(subject="dev", scopes=frozenset(), org_type=org_type)
        gevraagd = uuid.uuid4()
        assert sees_organisation(central, "o1") and gegevensscope(central).alles
        assert gegevensscope(central).beperk(gevraagd) == gevraagd and gegevensscope(central).beperk() is None


class _Telt:
    """Counts the signature verifications (jwt.decode) a verifier does."""

    def __init__(self, monkeypatch) -> None:
        self.n = 0
        echt = jwt.decode

        def decode(*args, **kwargs):
            self.n += 1
            return echt(*args, **kwargs)

        monkeypatch.setattr(jwt, "decode", decode)


def test_the_same_token_is_verified_once_and_remembered(keys, monkeypatch):
    private, public = keys
    telt = _Telt(monkeypatch)
    verifier = _verifier(str(public))
    token = mint_token(private, subject="org-1", scopes=["a:read"], org_type="vdab")
    assert verifier.verify(token) == verifier.verify(token)
    assert telt.n == 1
    anders = mint_token(private, subject="org-2", scopes=["a:read"], org_type="vdab")
    assert verifier.verify(anders).subject == "org-2"  # another string, verified on its own
    assert telt.n == 2


def test_a_remembered_token_is_verified_again_once_its_exp_has_passed(keys, monkeypatch):
    private, public = keys
    telt = _Telt(monkeypatch)
    nu = [time.time()]
    verifier = TokenVerifier(AuthSettings(public_key_file=str(public)), wandklok=lambda: nu[0])
    token = mint_token(private, subject="x", scopes=[], org_type="vdab", ttl_seconds=3600)
    verifier.verify(token)
    nu[0] += 30
    verifier.verify(token)
    assert telt.n == 1
    nu[0] += TokenVerifier.CACHE_S  # past the cache's own bound: verified again
    verifier.verify(token)
    assert telt.n == 2
    nu[0] += 3600  # past exp: never served from memory
    verifier.verify(token)  # (PyJWT reads the real clock: still valid there)
    assert telt.n == 3


def test_a_token_past_its_exp_but_within_the_leeway_is_never_remembered(keys, monkeypatch):
    private, public = keys
    telt = _Telt(monkeypatch)
    verifier = _verifier(str(public))  # leeway 30 s
    token = mint_token(private, subject="x", scopes=[], org_type="vdab", ttl_seconds=-10)
    verifier.verify(token)
    verifier.verify(token)
    assert telt.n == 2


def test_a_refused_token_is_refused_every_time(keys):
    private, public = keys
    verifier = _verifier(str(public))
    token = mint_token(private, subject="x", scopes=[], ttl_seconds=-120)
    for _ in range(2):
        with pytest.raises(Problem):
            verifier.verify(token)


def test_an_organiser_reads_only_its_own_organisation_whatever_it_asks():
    from wijkwerk.auth import gegevensscope

    eigen = uuid.uuid4()
    scope = gegevensscope(Principal(subject="s", scopes=frozenset(), org=str(eigen), org_type="organisator"))
    assert scope.soort == "eigen" and scope.beperk(uuid.uuid4()) == eigen and scope.beperk() == eigen
