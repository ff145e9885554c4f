/* Service worker of the ticket pages: network first, so a cancelled ticket shows as such at
   once; when there is no network, the copy ticket.js stored when the page was last opened. */
"use strict";
var CACHE = "forum-tickets-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("forum-tickets-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function refreshStored(request, response) {
  // Only what is already stored (ticket pages, their assets) is kept up to date.
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true}).then(function (stored) {
      if (stored) {
        return cache.put(request, response);
      }
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      event.waitUntil(refreshStored(request, response.clone()));
    }
    return response;
  }).catch(function () {
    return caches.match(request, {ignoreVary: true, ignoreSearch: false}).then(function (stored) {
      return stored || Response.error();
    });
  }));
});
