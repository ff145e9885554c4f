/* The scanner's storage on the phone (IndexedDB), as promises:
     packs  - the offline list of an event's tickets, with its ETag  (key: event slug)
     queue  - scans made offline, waiting to be sent, with their nonces (key: nonce)
     marks  - tickets admitted on this phone while offline, so a second scan says "already"
              (key: event slug | code hash | scope)
   window.ScannerDB.get / put / remove / all(store, eventSlug) / clear(store, eventSlug). */
(function () {
  "use strict";
  var NAME = "forum-scanner";
  var VERSION = 1;
  var opening = null;

  function open() {
    if (opening) {
      return opening;
    }
    opening = new Promise(function (resolve, reject) {
      if (!("indexedDB" in window)) {
        reject(new Error("IndexedDB is not available"));
        return;
      }
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("packs")) {
          db.createObjectStore("packs", {keyPath: "event"});
        }
        if (!db.objectStoreNames.contains("queue")) {
          db.createObjectStore("queue", {keyPath: "nonce"}).createIndex("event", "event");
        }
        if (!db.objectStoreNames.contains("marks")) {
          db.createObjectStore("marks", {keyPath: "key"}).createIndex("event", "event");
        }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    opening.catch(function () { opening = null; });
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = work(transaction.objectStore(store));
        var value;
        if (request) {
          request.onsuccess = function () { value = request.result; };
        }
        transaction.oncomplete = function () { resolve(value); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  window.ScannerDB = {
    get: function (store, key) {
      return run(store, "readonly", function (s) { return s.get(key); });
    },
    put: function (store, value) {
      return run(store, "readwrite", function (s) { return s.put(value); });
    },
    remove: function (store, key) {
      return run(store, "readwrite", function (s) { return s.delete(key); });
    },
    all: function (store, eventSlug) {
      return run(store, "readonly", function (s) {
        return s.index("event").getAll(eventSlug);
      });
    }
  };
})();
