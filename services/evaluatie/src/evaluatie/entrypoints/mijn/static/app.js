// The worker's own page (issue #23 item 7). The token comes from the link's fragment
// (#token=…: a fragment never reaches a server or its logs) or the form, is kept in
// sessionStorage (gone when the browser closes) and is sent as a bearer header to
// evaluatie's /v1/wijkwerkers/{id}/overzicht. Data is written with textContent only.
"use strict";

const TOKEN = "wijkwerk-token";
const BEWAARD = "wijkwerk-overzicht"; // the last answer, shown when offline
const API = new URL("../v1/", location.href); // the page lives at …/mijn/
const MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
  "oktober", "november", "december"];

const $ = (id) => document.getElementById(id);

function datum(iso) {
  if (!iso) return "—";
  const [j, m, d] = iso.split("-").map(Number);
  return `${d} ${MAANDEN[m - 1]} ${j}`;
}

function maand(jjjjmm) {
  const [j, m] = jjjjmm.split("-").map(Number);
  return `${MAANDEN[m - 1]} ${j}`;
}

function euro(tekst) {
  return "€ " + tekst.replace(".", ",");
}

function claims(token) {
  try {
    const deel = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(deel + "===".slice((deel.length + 3) % 4)));
  } catch (e) {
    return null;
  }
}

function tokenUitLink() {
  const gevonden = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
  if (gevonden) {
    sessionStorage.setItem(TOKEN, decodeURIComponent(gevonden[1]));
    history.replaceState(null, "", location.pathname + location.search); // out of the address bar and history
  }
}

function lijst(ul, items, leeg) {
  ul.replaceChildren();
  for (const tekst of items.length ? items : [leeg]) {
    const li = document.createElement("li");
    if (typeof tekst === "string") li.textContent = tekst; else li.append(...tekst);
    ul.append(li);
  }
}

function melding(tekst) {
  $("melding").textContent = tekst || "";
}

function toonAanmelden(tekst) {
  $("gegevens").hidden = true;
  $("afmelden").hidden = true;
  $("aanmelden").hidden = false;
  melding(tekst);
}

function toonTellers(t) {
  const ok = t.status === "ok" && t.uren;
  $("tellers-melding").hidden = ok;
  $("tellers-melding").textContent = ok ? "" : "De tellers zijn nu niet beschikbaar; probeer later opnieuw.";
  const zet = (id, waarde, nul) => { $(id).textContent = waarde; $(id).classList.toggle("nul", Boolean(nul)); };
  zet("uren-over-maand", ok ? `${t.uren.over_maand} uur` : "—", ok && t.uren.over_maand === 0);
  zet("uren-over-jaar", ok ? `${t.uren.over_jaar} uur` : "—", ok && t.uren.over_jaar === 0);
  $("uren-plafond-maand").textContent = ok ? `van ${t.uren.plafond_maand}` : "";
  $("uren-plafond-jaar").textContent = ok ? `van ${t.uren.plafond_jaar}` : "";
  const tr = t.traject;
  zet("dagen-over", !tr ? "—" : tr.dagen_over === null ? "onbeperkt" : `${tr.dagen_over}`, tr && tr.dagen_over === 0);
  zet("volgende-evaluatie", tr && tr.volgende_evaluatie ? datum(tr.volgende_evaluatie) +
    (tr.evaluatie_achterstallig ? " (achterstallig)" : "") : "—", tr && tr.evaluatie_achterstallig);
}

function toonTraject(trajecten) {
  const t = trajecten[0];
  if (!t) {
    $("traject-tekst").textContent = "Je traject is nog niet gestart.";
    lijst($("evaluaties"), [], "nog geen");
    return;
  }
  const einde = t.werkelijk_einde || t.gepland_einde;
  $("traject-tekst").textContent = `${t.loopt ? "Loopt" : "Beëindigd"} bij ${t.organisator}, van ${datum(t.start)} ` +
    (einde ? `tot ${datum(einde)}` : "zonder einddatum") + ".";
  lijst($("evaluaties"), t.evaluaties.map((e) => `${datum(e.datum)}: ${e.omschrijving}`), "nog geen");
}

function toonUren(u) {
  $("uren-totaal").textContent = String(u.totaal);
  const tbody = $("uren-per-maand").tBodies[0];
  tbody.replaceChildren();
  for (const r of u.per_maand.slice(-6).reverse()) {
    const tr = tbody.insertRow();
    tr.insertCell().textContent = maand(r.maand);
    tr.insertCell().textContent = String(r.uren);
  }
  if (!u.per_maand.length) tbody.insertRow().insertCell().textContent = "Nog geen uren.";
  lijst($("uren-per-activiteit"), u.per_activiteit.map((a) => `${a.activiteit.replace(/_/g, " ")}: ${a.uren} uur`), "nog geen");
}

function toonUitbetalingen(lijn) {
  lijst($("uitbetalingen-lijst"), lijn.map((u) => {
    const tekst = document.createTextNode(`${maand(u.periode)}: ${euro(u.bedrag)}, betaald op ${datum(u.uitgevoerd_op)}` +
      (u.teruggeboekt_op ? ` — teruggestort door de bank op ${datum(u.teruggeboekt_op)}` : "") + ". ");
    const pdf = Object.assign(document.createElement("button"), { type: "button", className: "link loonbrief",
      textContent: "Loonbrief (PDF)" });
    pdf.addEventListener("click", () => openPdf(u.loonbrief, pdf, `loonbrief-${u.periode}.pdf`));
    return [tekst, pdf];
  }), "Nog geen uitbetalingen.");
}

async function openPdf(pad, knop, naam) {
  const token = sessionStorage.getItem(TOKEN);
  knop.disabled = true;
  try {
    const r = await fetch(new URL(pad.replace(/^\/v1\//, ""), API), { headers: { Authorization: `Bearer ${token}` } });
    if (!r.ok) throw new Error(String(r.status));
    const url = URL.createObjectURL(await r.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: naam });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    melding("Het document kon niet geladen worden; probeer later opnieuw.");
  } finally {
    knop.disabled = false;
  }
}

function toonGetuigschriften(lijn) {
  lijst($("getuigschriften-lijst"), lijn.map((g) => {
    const tekst = document.createTextNode(`Stand op ${datum(g.op)} (${g.status}). `);
    const pdf = Object.assign(document.createElement("button"), { type: "button", className: "link pdf",
      textContent: "Download als PDF" });
    pdf.addEventListener("click", () => openPdf(g.pdf, pdf, "getuigschrift.pdf"));
    const echt = Object.assign(document.createElement("a"), { href: g.verificatie_url, className: "verificatie",
      textContent: "Echtheid nagaan", rel: "noopener" });
    return [tekst, pdf, document.createTextNode(" · "), echt];
  }), "Nog geen getuigschrift: vraag het aan je organisator.");
}

function toon(o, offline) {
  $("aanmelden").hidden = true;
  $("gegevens").hidden = false;
  $("afmelden").hidden = false;
  $("stand").textContent = `Stand op ${datum(o.op)} · ${o.organisator}`;
  melding(offline ? `Je bent offline: dit is de stand van ${datum(o.op)}.` : "");
  toonTellers(o.tellers);
  toonTraject(o.trajecten);
  toonUren(o.uren);
  toonUitbetalingen(o.uitbetalingen);
  toonGetuigschriften(o.getuigschriften);
}

async function laad() {
  const token = sessionStorage.getItem(TOKEN);
  const c = token && claims(token);
  if (!c || c.org_type !== "wijkwerker" || !c.org) {
    toonAanmelden(token ? "Deze toegangscode is niet van een wijk-werker." : "");
    return;
  }
  let r;
  try {
    r = await fetch(new URL(`wijkwerkers/${encodeURIComponent(c.org)}/overzicht`, API),
      { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
  } catch (e) {
    const bewaard = JSON.parse(localStorage.getItem(BEWAARD) || "null");
    if (bewaard && bewaard.wijkwerker_id === String(c.org).toLowerCase()) toon(bewaard, true); // this worker's own only
    else toonAanmelden("Je bent offline en er is nog niets bewaard.");
    return;
  }
  if (r.status === 401) {
    sessionStorage.removeItem(TOKEN);
    toonAanmelden("Je aanmelding is verlopen. Open je link opnieuw.");
    return;
  }
  if (!r.ok) {
    toonAanmelden(r.status === 404 ? "We vinden je dossier niet." : "Er ging iets mis; probeer later opnieuw.");
    return;
  }
  const o = await r.json();
  localStorage.setItem(BEWAARD, JSON.stringify(o));
  toon(o, false);
}

document.addEventListener("DOMContentLoaded", () => {
  tokenUitLink();
  $("aanmeldformulier").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN, $("token").value.trim());
    $("token").value = "";
    laad();
  });
  $("afmelden").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN);
    localStorage.removeItem(BEWAARD);
    toonAanmelden("Je bent afgemeld.");
  });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch(() => {});
  laad();
});
