/* Service worker of the scanner page (after sw-network-first.js): without a network, the copies
   scanner.js stored when the page was opened. The JSON API is never answered from here: the
   page itself handles being offline. */
networkFirstWorker({
  cache: "forum-scanner-v1",
  skip: function (url) { return url.pathname.indexOf("/api/") === 0; },
  fallback: function (cache, request) {
    return cache.match(request, {ignoreVary: true}).then(function (found) {
      // The scanner of another gate of the same event: the same page will do.
      return found || (request.mode === "navigate"
        ? cache.match(request, {ignoreVary: true, ignoreSearch: true}) : undefined);
    });
  }
});
