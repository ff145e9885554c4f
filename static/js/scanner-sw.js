/* Service worker of the scanner page: network first, so the page and its scripts are fresh when
   there is a network; when there is none, the copies scanner.js stored when the page was
   opened. The JSON API is never answered from here: the page itself handles being offline. */
"use strict";
var CACHE = "forum-scanner-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("forum-scanner-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function refreshStored(request, response) {
  // Only what is already stored (the scanner page, its assets) is kept up to date.
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true}).then(function (stored) {
      if (stored) {
        return cache.put(request, response);
      }
    });
  });
}

function stored(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true}).then(function (found) {
      // The scanner of another gate of the same event: the same page will do.
      return found || (request.mode === "navigate"
        ? cache.match(request, {ignoreVary: true, ignoreSearch: true}) : undefined);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin
      || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      event.waitUntil(refreshStored(request, response.clone()));
    }
    return response;
  }).catch(function () {
    return stored(request).then(function (found) { return found || Response.error(); });
  }));
});
