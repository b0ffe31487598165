"""A work-experience certificate's verification page in a real browser (issue #23 item 5):
the demo world at its smallest goes through the public APIs; an organiser issues a
certificate for one of its workers; headless Chromium opens the link of its QR code
without any login and sees exactly what the certificate states, and a link with a wrong
check code shows "ongeldig" and nothing else.

The worker's own page (issue #23 item 7) in the same world: a month's payout run, a
certificate, and the worker opening the link with its own token on a phone-sized screen
(trajectory, hours, counters, payouts, certificate; the service worker in control; offline
the page still shows the last figures)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

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


@pytest.fixture(scope="module")
def demo(system):
    """The demo world at its smallest, loaded once for this module's tests."""
    from wijkwerk_platform.demo import run_demo

    return run_demo({s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}, scale=0.01,
                    seed=23, private_key=system.tokens.private_key)


def test_the_verification_page_shows_what_the_certificate_states_without_a_login(system, demo, browser, tmp_path):
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


TELEFOON = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
# WCAG 2 contrast of every visible text against the background it is drawn on (AA: 4.5:1),
# and every form control with a label
TOEGANKELIJKHEID = """
const lum = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map((v) => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const achter = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
  if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c; } return "rgb(255, 255, 255)"; };
const slecht = [];
let geteld = 0;
for (const el of document.querySelectorAll("body *")) {
  if (!el.getClientRects().length || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
  geteld += 1;
  const [a, b] = [lum(getComputedStyle(el).color), lum(achter(el))];
  const r = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (r < 4.5) slecht.push([el.tagName, el.textContent.trim().slice(0, 30), r.toFixed(2)]);
}
const zonderLabel = [...document.querySelectorAll("input, textarea, select")].filter((e) => !e.labels.length);
return [document.documentElement.lang, slecht, zonderLabel.length, geteld];
"""


def _betaalde_werker(system) -> str:
    """Last month's payout run (drawn up through cheques' API); the first worker paid in it."""
    vorige = f"{date.today().replace(day=1) - timedelta(days=1):%Y-%m}"
    r = httpx.post(f"{system.url('cheques')}/v1/uitbetalingen/{vorige}", timeout=60,
                   headers=system.tokens.headers("cheques:payout", org_type="vdab", sub="boekhouder-e2e"))
    assert r.status_code in (200, 201) and r.json()["uitbetalingen"], r.text
    return r.json()["uitbetalingen"][0]["wijkwerker_id"]


def test_the_workers_own_page_on_a_phone(system, demo, browser, tmp_path):
    assert demo.voorbeeld_wijkwerker  # the worker `wijkwerk demo` prints a link for
    wid = _betaalde_werker(system)
    token = system.tokens.mint("wijkwerker:lezen", "documenten:lezen", org=wid, org_type="wijkwerker", sub=wid)
    eigen = {"Authorization": f"Bearer {token}"}
    schrijf = system.tokens.headers("evaluatie:write", org_type="vdab")
    overzicht: dict = {}

    def klaar() -> bool:  # evaluatie folded the payout and the hours; then a certificate as of today
        r = httpx.get(f"{system.url('evaluatie')}/v1/wijkwerkers/{wid}/overzicht", headers=eigen, timeout=10)
        if r.status_code != 200 or not r.json()["uitbetalingen"] or not r.json()["uren"]["totaal"]:
            return False
        if not r.json()["getuigschriften"]:
            g = httpx.post(f"{system.url('evaluatie')}/v1/wijkwerkers/{wid}/getuigschriften", headers=schrijf,
                           json={"naam": "W. Demo", "op": str(date.today())}, timeout=10)
            assert g.status_code == 201, g.text
            return False
        overzicht.update(r.json())
        return True

    wait_until(klaar, timeout=60)
    assert overzicht["tellers"]["status"] == "ok", overzicht["tellers"]
    uren, [betaling, *_] = overzicht["tellers"]["uren"], overzicht["uitbetalingen"]

    driver = browser(tmp_path / "telefoon")
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", TELEFOON)
        driver.get(f"{system.url('evaluatie')}/mijn/#token={token}")
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "gegevens").is_displayed())
        tekst = {i: driver.find_element(By.ID, i).text for i in (
            "stand", "traject-tekst", "uren-totaal", "uren-over-maand", "uren-over-jaar", "dagen-over",
            "uitbetalingen-lijst", "getuigschriften-lijst")}
        echtheid = driver.find_element(By.CSS_SELECTOR, "#getuigschriften-lijst a.verificatie").get_attribute("href")
        breedte = driver.execute_script("return [innerWidth, document.documentElement.scrollWidth]")
        assert "token" not in driver.current_url  # out of the address bar and the history
        toegankelijk = driver.execute_script(TOEGANKELIJKHEID)
        driver.save_screenshot(str(tmp_path / "mijn-wijkwerken.png"))
        driver.execute_script("document.getElementById('uitbetalingen').scrollIntoView()")
        driver.save_screenshot(str(tmp_path / "mijn-wijkwerken-uitbetalingen.png"))  # payouts and certificate
        # the service worker controls the page, and Chromium finds the app installable
        driver.execute_async_script("navigator.serviceWorker.ready.then(() => arguments[0]())")
        WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
        fouten = driver.execute_cdp_cmd("Page.getInstallabilityErrors", {})["installabilityErrors"]
        # offline: the shell from the service worker's cache, the last figures from the page's own copy
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        driver.refresh()
        WebDriverWait(driver, 20).until(lambda d: "offline" in d.find_element(By.ID, "melding").text)
        offline_uren = driver.find_element(By.ID, "uren-totaal").text
    finally:
        driver.quit()

    naam = overzicht["trajecten"][0]["organisator"]
    assert naam in tekst["stand"] and naam in tekst["traject-tekst"]
    assert tekst["traject-tekst"].startswith(("Loopt bij", "Beëindigd bij"))
    assert tekst["uren-totaal"] == offline_uren == str(overzicht["uren"]["totaal"])
    assert (tekst["uren-over-maand"], tekst["uren-over-jaar"]) == (f"{uren['over_maand']} uur", f"{uren['over_jaar']} uur")
    assert "€ " + betaling["bedrag"].replace(".", ",") in tekst["uitbetalingen-lijst"]
    assert "Loonbrief (PDF)" in tekst["uitbetalingen-lijst"]
    slip = httpx.get(system.url("evaluatie") + betaling["loonbrief"], headers=eigen, timeout=30)  # cheques' own, passed on
    assert (slip.status_code, slip.headers["content-type"]) == (200, "application/pdf"), slip.text[:300]
    assert "Download als PDF" in tekst["getuigschriften-lijst"] and "Echtheid nagaan" in tekst["getuigschriften-lijst"]
    assert echtheid == overzicht["getuigschriften"][0]["verificatie_url"]
    assert breedte == [390, 390], "the page is wider than the phone"
    assert fouten == [], fouten
    assert toegankelijk[:3] == ["nl", [], 0] and toegankelijk[3] > 20, toegankelijk
