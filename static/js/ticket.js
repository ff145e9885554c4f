/* Keeps the ticket page readable offline once it has been opened: the page and its assets go
   into the Cache Storage, and a service worker answers from there when the network fails.
   Nothing is downloaded twice: the page is stored as it was just received (later visits pass
   through the service worker, which refreshes the stored copy as the page arrives); the
   assets have content-hashed names, so storing them reads the browser's own cache, and only
   one not stored yet is added. The page works fully without this script. */
(function () {
  "use strict";
  var CACHE = "forum-tickets-v1";
  var script = document.getElementById("ticket-offline");
  if (!script || !("serviceWorker" in navigator) || !("caches" in window)) {
    return;
  }
  var page = location.pathname + location.search;
  var assets = (script.getAttribute("data-assets") || "").split(" ").filter(Boolean);

  function storePage(cache) {
    return cache.match(page, {ignoreVary: true}).then(function (stored) {
      return stored || cache.put(page, new Response(
        "<!doctype html>\n" + document.documentElement.outerHTML,
        {headers: {"Content-Type": "text/html; charset=utf-8"}}));
    });
  }

  function storeAssets(cache) {
    return cache.keys().then(function (requests) {
      // Assets of an earlier version (another hash) are no longer asked for.
      return Promise.all(requests.filter(function (request) {
        var path = new URL(request.url).pathname;
        return path.indexOf("/static/") === 0 && assets.indexOf(path) < 0;
      }).map(function (request) { return cache.delete(request); }));
    }).then(function () {
      return Promise.all(assets.map(function (url) {
        return cache.match(url).then(function (found) { return found || cache.add(url); });
      }));
    });
  }

  caches.open(CACHE).then(function (cache) {
    return storePage(cache).then(function () { return storeAssets(cache); });
  }).then(function () {
    script.setAttribute("data-stored", "true");
  }).catch(function () { /* private mode or storage full: the page still works online */ });
  navigator.serviceWorker.register(script.getAttribute("data-worker"), {
    scope: script.getAttribute("data-scope")
  }).catch(function () { /* not allowed here: nothing to do */ });
})();
