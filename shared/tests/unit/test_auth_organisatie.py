"""Fail-closed authorisation: a verified token must name a known org_type (and an
organisation where the kind needs one); what an identity provider might get wrong is a
403 naming the rule, never a token that sees every organisation."""

import pytest

from wijkwerk.auth import ORG_TYPES, TokenVerifier
from wijkwerk.problems import Problem
from wijkwerk_platform.testkit import VERKEERDE_ORGANISATIES, Tokens

ORG = "6f1c0d4e-2b1a-4d7e-9a51-0c2f8e3b7a10"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def verifier(tokens) -> TokenVerifier:
    return TokenVerifier(tokens.auth_settings())


@pytest.mark.parametrize(("naam", "claims", "rule"), VERKEERDE_ORGANISATIES, ids=[v[0] for v in VERKEERDE_ORGANISATIES])
def test_a_token_an_identity_provider_got_wrong_is_refused(tokens, verifier, naam, claims, rule):
    token = tokens.sign(**{"scope": "toeleiding:read"} | claims)
    with pytest.raises(Problem) as err:
        verifier.verify(token)
    assert (err.value.status, err.value.rule) == (403, rule)


def test_the_known_kinds_are_the_ones_the_code_scopes_data_for():
    assert {"vdab", "service", "organisator", "toeleider", "gebruiker", "wijkwerker"} == ORG_TYPES


@pytest.mark.parametrize(
    ("claims", "org"),
    [
        ({"org_type": "vdab"}, None),
        ({"org_type": "service"}, None),
        ({"org_type": "organisator", "org": ORG}, ORG),
        ({"org_type": "organisator", "org": ORG.upper()}, ORG),  # one spelling, so it matches stored ids
        ({"org_type": "gebruiker", "org": ORG}, ORG),
        ({"org_type": "toeleider", "org": "ocmw-oostende"}, "ocmw-oostende"),
    ],
)
def test_a_known_kind_with_its_organisation_is_admitted(tokens, verifier, claims, org):
    principal = verifier.verify(tokens.sign(scope="a:read", **claims))
    assert (principal.org_type, principal.org) == (claims["org_type"], org)


@pytest.mark.parametrize("scope", ["a:read b:write", ["a:read", "b:write"]], ids=["string", "list"])
def test_scopes_come_as_a_string_or_a_list(tokens, verifier, scope):
    assert verifier.verify(tokens.sign(scope=scope, org_type="vdab")).scopes == {"a:read", "b:write"}
    assert verifier.verify(tokens.sign(scp=scope, org_type="vdab")).scopes == {"a:read", "b:write"}
