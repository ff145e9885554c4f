/* The scanner without network: the event's offline list (a prefix of each ticket code's
   SHA-256, with names and states, one row per ticket; ETag-versioned), scans checked against
   it, the queue of scans made meanwhile (each with its nonce) and their sync when the network
   returns. Storage: ScannerDB.

   window.ScannerOffline(options) -> {load, refresh, check, sync, waiting, info}
   options: event (slug), entryMode, gate, sessionId, texts, call(method, path, body, headers)
   and hooks: keyLost(), online(flag), conflict(answer), changed(). */
(function () {
  "use strict";
  var ZONE = "Asia/Ulaanbaatar";

  function localDate(date) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", {timeZone: ZONE, year: "numeric", month: "2-digit",
      day: "2-digit"}).formatToParts(date).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  function sha256hex(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  function attendeeOf(entry) {
    return {name: entry.name, stakeholder_label: entry.kind_label,
      organisation: entry.organisation, accessibility_needs: entry.access};
  }

  // The pack's rows (lists in the order of data.fields) as entries by hash prefix.
  function indexed(data) {
    var index = {};
    var fields = data.fields || [];
    (data.entries || []).forEach(function (row) {
      var entry = {};
      fields.forEach(function (field, i) { entry[field] = row[i]; });
      entry.kind_label = (data.kinds || {})[entry.kind] || "";
      index[entry.hash] = entry;
    });
    return index;
  }

  window.ScannerOffline = function (options) {
    var slug = options.event;
    var texts = options.texts;
    var call = options.call;
    var hooks = options.hooks;
    var pack = null;
    var entries = {};
    var sequence = Date.now();
    var syncing = false;

    function currentScope() {
      if (options.entryMode === "day") {
        return "day:" + localDate(new Date());
      }
      if (options.entryMode === "session" && options.sessionId) {
        return "session:" + options.sessionId;
      }
      return "event";
    }

    function runsToday() {
      var today = localDate(new Date());
      var dates = pack.data.dates;
      if (dates && (today < dates.start || today > dates.end)) {
        return false;
      }
      var session = (pack.data.sessions || []).filter(function (s) {
        return s.id === options.sessionId;
      })[0];
      return !(options.entryMode === "session" && session && session.date
        && session.date !== today);
    }

    // --- the list ---------------------------------------------------------------------------

    function load() {
      return ScannerDB.get("packs", slug).then(function (stored) {
        pack = stored && stored.data && Array.isArray(stored.data.entries) ? stored : null;
        entries = pack ? indexed(pack.data) : {};
      }).catch(function () { pack = null; }).then(hooks.changed);
    }

    function refresh() {
      if (!navigator.onLine) {
        return Promise.resolve();
      }
      var asked = Date.now();
      var headers = pack && pack.etag ? {"If-None-Match": pack.etag} : {};
      return call("GET", "/offline-pack", undefined, headers).then(function (response) {
        if (response.status === 401) {
          hooks.keyLost();
          return null;
        }
        if (response.status === 304 && pack) {
          pack.fetched = asked;
          return ScannerDB.put("packs", pack);
        }
        if (!response.ok) {
          return null;
        }
        return response.json().then(function (data) {
          pack = {event: slug, etag: response.headers.get("ETag"), data: data, fetched: asked,
            count: (data.entries || []).length};
          entries = indexed(data);
          return ScannerDB.put("packs", pack).then(function () { return forgetMarks(asked); });
        });
      }).catch(function () { /* keep the list we have */ }).then(hooks.changed);
    }

    function forgetMarks(before) {
      // Once all is synced, a list fetched afterwards knows these admissions itself.
      return ScannerDB.all("queue", slug).then(function (waiting) {
        if (waiting.length) {
          return null;
        }
        return ScannerDB.all("marks", slug).then(function (marks) {
          return Promise.all(marks.filter(function (mark) { return mark.at < before; })
            .map(function (mark) { return ScannerDB.remove("marks", mark.key); }));
        });
      });
    }

    // --- one scan ---------------------------------------------------------------------------

    function judge(scan, hash) {
      hash = hash.slice(0, pack.data.hash_prefix);
      var entry = entries[hash];
      if (!entry) {
        return Promise.resolve({result: "unknown", message: texts.offline_unknown});
      }
      var attendee = attendeeOf(entry);
      if (!runsToday()) {
        return Promise.resolve({result: "not_today", message: texts.offline_not_today,
          attendee: attendee});
      }
      if (entry.state === "cancelled") {
        return Promise.resolve({result: "cancelled", message: texts.offline_cancelled,
          attendee: attendee});
      }
      if (entry.state !== "valid") {
        return Promise.resolve({result: "not_confirmed", message: texts.offline_not_confirmed,
          attendee: attendee});
      }
      var scope = currentScope();
      var key = slug + "|" + hash + "|" + scope;
      return ScannerDB.get("marks", key).then(function (mark) {
        if (mark || (entry.admitted || []).indexOf(scope) >= 0) {
          return {result: "already_checked_in", message: texts.offline_already,
            attendee: attendee, previous: mark ? {at: mark.scanned_at, gate: mark.gate} : null};
        }
        // Marked here, so that a second scan on this phone says "already".
        return ScannerDB.put("marks", {key: key, event: slug, at: Date.now(),
          scanned_at: scan.scanned_at, gate: scan.gate}).then(function () {
          return {result: "admitted", message: texts.offline_admitted, attendee: attendee};
        });
      });
    }

    function check(scan) {
      if (!pack || !pack.data || !window.crypto || !crypto.subtle) {
        return Promise.resolve({result: "unknown", message: texts.offline_no_pack,
          offline: true});
      }
      return sha256hex(scan.code).then(function (hash) {
        return judge(scan, hash);
      }).then(function (outcome) {
        outcome.offline = true;
        return enqueue(scan, outcome.result).then(function () { return outcome; });
      });
    }

    function enqueue(scan, localResult) {
      sequence += 1;
      var row = {nonce: scan.nonce, event: slug, seq: sequence, code: scan.code,
        scanned_at: scan.scanned_at, local_result: localResult};
      if (scan.gate) {
        row.gate = scan.gate;
      }
      if (scan.session_id) {
        row.session_id = scan.session_id;
      }
      return ScannerDB.put("queue", row).then(hooks.changed);
    }

    // --- the queue --------------------------------------------------------------------------

    function send(waiting) {
      waiting.sort(function (a, b) { return a.seq - b.seq; });
      var scans = waiting.map(function (row) {
        var scan = {code: row.code, nonce: row.nonce, scanned_at: row.scanned_at,
          local_result: row.local_result};
        if (row.gate) {
          scan.gate = row.gate;
        }
        if (row.session_id) {
          scan.session_id = row.session_id;
        }
        return scan;
      });
      return call("POST", "/sync", {scans: scans}).then(function (response) {
        if (response.status === 401) {
          hooks.keyLost();
          return null;
        }
        if (!response.ok) {
          return null; // tried again later
        }
        hooks.online(true);
        return response.json().then(function (data) {
          return Promise.all((data.results || []).map(function (answer) {
            if (answer.conflict) {
              hooks.conflict(answer);
            }
            return answer.nonce ? ScannerDB.remove("queue", answer.nonce) : null;
          }));
        }).then(refresh);
      }, function () { hooks.online(false); });
    }

    function sync() {
      if (syncing || !navigator.onLine) {
        return Promise.resolve();
      }
      syncing = true;
      return ScannerDB.all("queue", slug).then(function (waiting) {
        return waiting.length ? send(waiting) : null;
      }).catch(function () { /* tried again later */ }).then(function () {
        syncing = false;
        hooks.changed();
      });
    }

    function waiting() {
      return ScannerDB.all("queue", slug).then(function (rows) { return rows.length; });
    }

    function info() {
      return pack ? {count: pack.count, fetched: pack.fetched} : null;
    }

    return {load: load, refresh: refresh, check: check, sync: sync, waiting: waiting,
      info: info};
  };
})();
