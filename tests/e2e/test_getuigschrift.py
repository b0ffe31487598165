"""A work-experience certificate's verification page in a real browser (issue #23 item 5):
the demo world at its smallest goes through the public APIs; an organiser issues a
certificate for one of its workers; headless Chromium opens the link of its QR code
without any login and sees exactly what the certificate states, and a link with a wrong
check code shows "ongeldig" and nothing else."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from selenium.webdriver.common.by import By

from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e


def _een_getuigschrift(system) -> dict:
    """Issues a certificate as of today for the first worker of the demo who has hours."""
    centraal = system.tokens.headers("toeleiding:read", org_type="vdab")
    werkers = httpx.get(system.url("toeleiding") + "/v1/wijkwerkers", params={"limit": 200}, headers=centraal,
                        timeout=10).json()
    for werker in werkers:
        h = system.tokens.headers("evaluatie:write", org=werker["organisator_id"], org_type="organisator")
        r = httpx.post(f"{system.url('evaluatie')}/v1/wijkwerkers/{werker['id']}/getuigschriften", headers=h,
                       json={"naam": f"{werker['voornaam'][0]}. {werker['achternaam']}", "op": str(date.today())},
                       timeout=10)
        if r.status_code == 201:
            return r.json()
        assert r.json()["rule"] in ("getuigschrift-zonder-prestaties", "wijkwerker-onbekend"), r.text
    raise AssertionError("no demo worker with hours in evaluatie")


def test_the_verification_page_shows_what_the_certificate_states_without_a_login(system, browser, tmp_path):
    from wijkwerk_platform.demo import run_demo

    run_demo({s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}, scale=0.01, seed=23,
             private_key=system.tokens.private_key)
    gevonden: dict = {}

    def uitgegeven() -> bool:
        try:
            gevonden.update(_een_getuigschrift(system))
        except AssertionError:
            return False
        return True

    wait_until(uitgegeven, timeout=60)
    verklaring = gevonden["verklaring"]
    url = gevonden["verificatie_url"]
    assert url.startswith(system.url("evaluatie") + "/verificatie/getuigschriften/")

    driver = browser(tmp_path / "profile")
    try:
        driver.get(url)  # a fresh profile: no cookie, no token
        assert driver.find_element(By.ID, "status").text == "GELDIG"
        assert driver.find_element(By.ID, "naam").text == verklaring["naam"]
        assert driver.find_element(By.ID, "organisator").text == verklaring["organisator"]
        assert driver.find_element(By.ID, "uren").text == str(verklaring["uren"])
        assert driver.find_element(By.ID, "op").text == str(date.today())
        rijen = driver.find_elements(By.CSS_SELECTOR, "#activiteiten tr")[1:]
        assert [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in rijen] == [
            [a["activiteit"], a["van"], a["tot"], str(a["uren"])] for a in verklaring["activiteiten"]]
        assert len(driver.find_elements(By.CSS_SELECTOR, "#evaluaties li")) == max(1, len(verklaring["evaluaties"]))
        assert gevonden["wijkwerker_id"] not in driver.page_source  # nothing the certificate does not state
        driver.save_screenshot(str(tmp_path / "verificatie.png"))

        delen = urlsplit(url)
        driver.get(urlunsplit(delen._replace(query="c=" + "A" * 22)))
        assert driver.find_element(By.ID, "status").text == "ONGELDIG"
        assert verklaring["naam"] not in driver.page_source
    finally:
        driver.quit()
