/* Runs on the first page after signing out: the ticket pages this phone kept for offline use
   (Cache Storage "forum-tickets-v<n>", see ticket.js) are removed, so the next person holding
   the phone cannot open them without a network. Nothing else is touched: the door scanner's
   page copies and its IndexedDB queue of scans made offline, not yet sent, stay. */
(function () {
  "use strict";
  var PREFIX = "forum-tickets-";
  function done(state) {
    document.documentElement.setAttribute("data-offline-tickets", state);
  }
  if (!("caches" in window)) {
    done("none");
    return;
  }
  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { done("removed"); }, function () {
    done("none");  /* storage not available here: nothing was stored either */
  });
})();
