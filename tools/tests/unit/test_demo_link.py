"""``wijkwerk demo`` ends with a link to one demo worker's own page (issue #23 item 7): the
page's URL with a worker's token in the fragment, signed with the local key, for that
worker only and with the page's scopes."""

from __future__ import annotations

import uuid

import jwt
from typer.testing import CliRunner

from wijkwerk.auth import ensure_local_keypair
from wijkwerk_platform import demo as demo_pakket
from wijkwerk_platform.cli.main import app
from wijkwerk_platform.demo.samenvatting import Samenvatting


def test_the_demo_prints_a_link_to_a_workers_own_page(tmp_path, monkeypatch):
    werker = str(uuid.uuid4())
    ensure_local_keypair(tmp_path / "keys")  # as `wijkwerk up` left it
    monkeypatch.setattr(demo_pakket, "run_demo", lambda urls, **kw: Samenvatting(voorbeeld_wijkwerker=werker))
    uit = CliRunner().invoke(app, ["demo", "--data-dir", str(tmp_path), "--port-base", "9000"],
                             env={"COLUMNS": "4000"})
    assert uit.exit_code == 0, uit.output
    [regel] = [r for r in uit.output.splitlines() if "/mijn/#token=" in r]
    assert "http://127.0.0.1:9004/mijn/#token=" in regel
    token = regel.split("#token=")[1].strip()
    claims = jwt.decode(token, (tmp_path / "keys" / "jwt-public.pem").read_bytes(), algorithms=["RS256"],
                        audience="wijkwerk")
    assert (claims["org_type"], claims["org"], claims["scope"]) == (
        "wijkwerker", werker, "wijkwerker:lezen documenten:lezen")
