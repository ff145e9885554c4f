/* The part the service workers share (served in front of ticket-sw.js or scanner-sw.js):
   network first, so a page is fresh whenever there is a network; what the page itself stored
   in Cache Storage is kept up to date; without a network the stored copy answers. */
"use strict";

function networkFirstWorker(options) {
  // options.cache: "<prefix>v<n>"; older versions of it are deleted on activation.
  // options.skip(url): leave this request to the network alone.
  // options.fallback(cache, request): the stored answer (default: the exact page).
  var prefix = options.cache.replace(/v\d+$/, "");
  var fallback = options.fallback || function (cache, request) {
    return cache.match(request, {ignoreVary: true});
  };

  self.addEventListener("install", function () {
    self.skipWaiting();
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(prefix) === 0 && name !== options.cache;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); }));
  });

  function refreshStored(request, response) {
    // Only what the page chose to store is kept; nothing else is added.
    return caches.open(options.cache).then(function (cache) {
      return cache.match(request, {ignoreVary: true}).then(function (stored) {
        if (stored) {
          return cache.put(request, response);
        }
      });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    var url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin
        || (options.skip && options.skip(url))) {
      return;
    }
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && response.type === "basic" && !response.redirected) {
        event.waitUntil(refreshStored(request, response.clone()));
      }
      return response;
    }).catch(function () {
      return caches.open(options.cache).then(function (cache) {
        return fallback(cache, request);
      }).then(function (found) { return found || Response.error(); });
    }));
  });
}
