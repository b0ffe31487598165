"""The ops dashboard in a real browser: signing in through the form, charts rendering with
data (DOM and pixels), the session cookie's attributes, logging out."""

from __future__ import annotations

import httpx
import pytest
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from wijkwerk.auth import TOKEN_COOKIE
from wijkwerk_platform.testing import wait_until

pytestmark = pytest.mark.e2e

PLOTLY_FIRST_COLOUR = (0x63, 0x6E, 0xFA)  # the first trace of plotly's default template


def _post(system, path: str, body: dict, headers: dict) -> dict:
    r = httpx.post(system.url("toeleiding") + path, json=body, headers=headers, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def test_the_dashboard_draws_the_monthly_series_and_the_pipelines(system, browser, tmp_path):
    h = system.tokens.headers("toeleiding:admin", "toeleiding:read", "toeleiding:write", "rapportering:read")
    org = _post(system, "/v1/organisatoren", {
        "naam": "Wijk-werken Perspectief", "samenwerkingsverband": "Perspectief", "tarief": "7.45",
        "tarief_vanaf": "2018-01-01", "gemeenten": [{"nis_code": "35013", "naam": "Oostende"}],
    }, h)
    from datetime import date, timedelta

    from wijkwerk_platform.demo.identiteit import insz

    start = date.today().replace(day=1) - timedelta(days=40)
    for i in range(6):
        w = _post(system, "/v1/wijkwerkers", {
            "insz": insz(date(1970 + i, 5, 17), i), "voornaam": "Test", "achternaam": f"Persoon{i}",
            "domicilie_nis_code": "35013", "organisator_id": org["id"], "uitkeringsstatus": "leefloon",
            "vdab_ingeschreven": True, "iban": "BE68539007547034", "ingeschreven_op": str(start),
        }, h)
        _post(system, "/v1/toeleidingen", {
            "wijkwerker_id": w["id"], "organisator_id": org["id"], "toeleider_type": ["VDAB", "OCMW"][i % 2],
            "advies_maanden": 12, "ontvangen_op": str(start + timedelta(days=i * 7)),
        }, h)

    def seen() -> bool:
        r = httpx.get(system.url("evaluatie") + "/v1/rapporten/dossiers", headers=h, timeout=5)
        return r.status_code == 200 and r.json()["totaal"] >= 6

    wait_until(seen, timeout=30)

    # Prestaties and cheques through the public APIs and the issuer's signed webhooks (the
    # demo world at its smallest), so the hours and money charts have something to draw.
    from dateutil.relativedelta import relativedelta

    from wijkwerk_platform.demo import run_demo

    run_demo({s: system.url(s) for s in ("toeleiding", "prestaties", "cheques", "evaluatie")}, scale=0.01, seed=11,
             private_key=system.tokens.private_key)
    maanden = {"van": f"{date.today() - relativedelta(months=11):%Y-%m}", "tot": f"{date.today():%Y-%m}"}

    def geld_gezien() -> bool:
        r = httpx.get(system.url("evaluatie") + "/v1/rapporten/cheques", params=maanden, headers=h, timeout=10)
        return r.status_code == 200 and sum(x["gebruikt_per_validatiemaand"] for x in r.json()["rijen"]) > 0

    wait_until(geld_gezien, timeout=30)
    token = system.tokens.mint("rapportering:read", org_type="vdab")
    shot = tmp_path / "dashboard.png"
    driver = browser(tmp_path / "profile")
    try:
        dom = _aanmelden_en_tekenen(driver, system.url("evaluatie"), token, shot)
        cookie = _cookie(driver)
        overlappend = _titels_over_werkbalken(driver)
        # the CSV behind the money chart, fetched as the browser's link does (the session cookie)
        geld_csv = driver.execute_async_script(
            "const klaar = arguments[0]; fetch(document.querySelector('section.grafiek a.csv[href*=\"geld.csv\"]').href)"
            ".then(r => r.text()).then(klaar, e => klaar(String(e)));")
        # choosing a period: the form keeps it in the URL, the page shows it
        driver.execute_script("document.getElementById('van').value = arguments[0];"
                              "document.getElementById('tot').value = arguments[1];", maanden["tot"], maanden["tot"])
        driver.find_element(By.ID, "toon").click()
        WebDriverWait(driver, 20).until(lambda d: f"van={maanden['tot']}" in d.current_url)
        gekozen = driver.page_source
        # logging out drops the cookie; the pages then want a token again
        driver.find_element(By.ID, "afmelden").click()
        WebDriverWait(driver, 20).until(lambda d: d.current_url.endswith("/dashboard/login"))
        assert _cookie(driver) is None
        driver.get(system.url("evaluatie") + "/dashboard")
        assert "token-ontbreekt" in driver.page_source
    finally:
        driver.quit()

    # the token travelled in the form's body and lives in a cookie the browser keeps
    # (Secure over http://127.0.0.1: Chromium treats the loopback address as a secure
    # context), that no script reads and no other site's request carries
    assert cookie is not None and cookie["value"] == token
    assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (
        True, True, "Strict", "/dashboard")
    assert "Wijk-werken Vlaanderen" in dom and "Wijk-werken Perspectief" in dom
    assert dom.count('class="main-svg"') >= 6, "plotly did not draw the charts"
    # bars and markers are drawn as .point paths only when a trace has data
    assert dom.count('class="point"') >= 5
    # the hours (RPT-06) and the cheque money split (RPT-18) per month are drawn with data
    for grafiek, volgende in (("uren", "geld"), ("geld", "pijplijnen")):
        deel = dom[dom.index(f'id="{grafiek}"'):dom.index(f'id="{volgende}"')]
        assert deel.count('class="point"') >= 1, f"the {grafiek} chart has no bars"
    for service in ("toeleiding", "prestaties", "cheques", "evaluatie"):
        assert f"<td>{service}" in dom
    assert '<span class="onbereikbaar">' not in dom
    # every chart has its title beside its toolbar, never under it (checked on the drawn page)
    assert len(overlappend) >= 6 and all(zichtbaar for _, _, zichtbaar in overlappend), overlappend
    assert [titel for titel, snijdt, _ in overlappend if snijdt] == []
    kop, *rijen = geld_csv.strip().splitlines()
    assert kop.startswith("maand,") and "wijkwerker" in kop and len(rijen) == 12
    assert any(float(waarde) > 0 for rij in rijen for waarde in rij.split(",")[1:])
    assert f'value="{maanden["tot"]}"' in gekozen and gekozen.count('class="main-svg"') >= 6

    image = Image.open(shot).convert("RGB")
    pixels = sum(1 for p in image.getdata() if all(abs(a - b) <= 6 for a, b in zip(p, PLOTLY_FIRST_COLOUR, strict=False)))
    assert pixels > 500, f"only {pixels} pixels in the first trace colour: the charts are empty"


def _aanmelden_en_tekenen(driver, base: str, token: str, shot) -> str:
    """Signs in through the login form (the token never in a URL) and waits until plotly
    has drawn the charts; returns the page's DOM."""
    driver.get(base + "/dashboard/login")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "aanmelden").click()
    wacht = WebDriverWait(driver, 30)
    wacht.until(lambda d: d.current_url.rstrip("/").endswith("/dashboard"))
    wacht.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".main-svg")) >= 6
                and len(d.find_elements(By.CSS_SELECTOR, ".point")) >= 5)
    assert token not in driver.current_url
    # the charts below the work lists (the review queue grows with the flags): in view
    driver.execute_script("document.querySelector('section.grafiek').scrollIntoView()")
    driver.save_screenshot(str(shot))
    return driver.page_source


def _titels_over_werkbalken(driver) -> list[tuple[str, bool, bool]]:
    """Per chart section: its title, whether the title's box meets the plotly toolbar's, and
    whether that toolbar is drawn at all."""
    return driver.execute_script("""
        const uit = [];
        for (const s of document.querySelectorAll('section')) {
            const kop = s.querySelector('h2'), balk = s.querySelector('.modebar');
            if (!kop || !balk) continue;
            const a = kop.getBoundingClientRect(), b = balk.getBoundingClientRect();
            const snijdt = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            uit.push([kop.textContent, snijdt, b.width > 0 && b.height > 0]);
        }
        return uit;""")


def _cookie(driver) -> dict | None:
    return next((c for c in driver.get_cookies() if c["name"] == TOKEN_COOKIE), None)


def test_the_login_refuses_a_token_in_the_url_a_foreign_form_and_a_token_without_the_scope(system):
    base = system.url("evaluatie")
    token = system.tokens.mint("rapportering:read", org_type="vdab")
    # the old way (?token=) no longer signs anybody in: it is the form
    r = httpx.get(f"{base}/dashboard/login", params={"token": token}, timeout=5)
    assert r.status_code == 200 and "set-cookie" not in r.headers and "<form" in r.text
    # a form on another site posting to ours (login CSRF)
    r = httpx.post(f"{base}/dashboard/login", data={"token": token}, headers={"Sec-Fetch-Site": "cross-site"},
                   timeout=5)
    assert (r.status_code, r.json()["rule"]) == (403, "herkomst-ongeldig")
    for andere, status, rule in [
        (system.tokens.mint("toeleiding:read", org_type="vdab"), 403, "scope-ontbreekt"),
        (system.tokens.sign(scope="rapportering:read"), 403, "org-type-ontbreekt"),
        ("", 401, "token-ontbreekt"),
    ]:
        r = httpx.post(f"{base}/dashboard/login", data={"token": andere}, timeout=5)
        assert (r.status_code, r.json()["rule"]) == (status, rule)
        assert "set-cookie" not in r.headers
    r = httpx.post(f"{base}/dashboard/login", data={"token": token}, timeout=5)
    assert r.status_code == 303 and r.headers["location"].endswith("/dashboard")
    attributes = {a.strip().lower() for a in r.headers["set-cookie"].split(";")}
    assert {"secure", "httponly", "samesite=strict", "path=/dashboard"} <= attributes


def test_the_dashboard_refuses_without_a_token_and_scopes_organisers(system):
    assert httpx.get(system.url("evaluatie") + "/dashboard", timeout=5).status_code == 401
    other = system.tokens.headers("rapportering:read", org="00000000-0000-0000-0000-000000000001", org_type="organisator")
    r = httpx.get(system.url("evaluatie") + "/dashboard/organisatoren/00000000-0000-0000-0000-000000000002",
                  headers=other, timeout=5)
    assert r.status_code == 404
    referrer = system.tokens.headers("rapportering:read", org="ocmw-oostende", org_type="toeleider")
    assert httpx.get(system.url("evaluatie") + "/dashboard", headers=referrer, timeout=5).status_code == 404
