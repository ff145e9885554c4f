/* Keeps the ticket page readable offline once it has been opened: the page and its assets go
   into the Cache Storage now, and a service worker answers from there when the network fails.
   The page works fully without this script. */
(function () {
  "use strict";
  var CACHE = "forum-tickets-v1";
  var script = document.getElementById("ticket-offline");
  if (!script || !("serviceWorker" in navigator) || !("caches" in window)) {
    return;
  }
  var urls = [location.pathname + location.search].concat(
    (script.getAttribute("data-assets") || "").split(" ").filter(Boolean));
  caches.open(CACHE).then(function (cache) {
    return cache.addAll(urls);
  }).catch(function () { /* private mode or storage full: the page still works online */ });
  navigator.serviceWorker.register(script.getAttribute("data-worker"), {
    scope: script.getAttribute("data-scope")
  }).catch(function () { /* not allowed here: nothing to do */ });
})();
