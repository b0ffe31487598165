// The offline shell of the worker's page: the page, script, style, manifest and icons are
// kept in a cache; they are fetched from the network first (a release reaches the page at
// once) and taken from the cache when there is no network. The data (/v1/…) is never
// cached here: the page keeps its last answer itself and says it is offline.
"use strict";

const CACHE = "mijn-wijkwerken-v1";
const BASIS = new URL("./", self.location).pathname; // …/mijn/
const SCHIL = ["./", "app.js", "app.css", "manifest.webmanifest", "icoon-192.png", "icoon-512.png"];

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SCHIL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((namen) => Promise.all(namen.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith(BASIS)) {
    return; // the API and anything else: straight to the network
  }
  e.respondWith(fetch(e.request).then((antwoord) => {
    if (antwoord.ok) {
      const kopie = antwoord.clone();
      caches.open(CACHE).then((c) => c.put(e.request, kopie));
    }
    return antwoord;
  }).catch(() => caches.match(e.request, { ignoreSearch: true })));
});
