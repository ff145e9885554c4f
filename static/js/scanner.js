/* The scanner page, enhanced: camera scanning (scanner-camera.js), the text box for USB and
   Bluetooth scanners, a big colour-coded result with a beep and a vibration, undo, and work
   without network (scanner-offline.js; the page itself is kept by scanner-sw.js).

   Without this script the page still works: its form posts each code with the signed-in
   session. The script talks to the JSON API with the scanner key this phone got when the
   organiser opened the scanner (handed over in the URL fragment, kept in localStorage).

   For measurements it emits "scanner:result" on document (and the camera "scanner:decoded"),
   with performance.now() times; nothing listens to them in normal use. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  var textsNode = document.getElementById("scanner-texts");
  if (!root || !textsNode || !window.fetch || !window.ScannerOffline || !window.ScannerCamera) {
    return;
  }
  var texts = JSON.parse(textsNode.textContent);
  var slug = root.getAttribute("data-event");
  var api = root.getAttribute("data-api");
  var lang = root.getAttribute("data-lang") || "mn";
  var gate = root.getAttribute("data-gate") || null;
  var sessionId = parseInt(root.getAttribute("data-session-id"), 10) || null;
  var form = document.getElementById("scan-form");
  var input = form.querySelector("[name=code]");
  var resultArea = document.getElementById("scan-result");
  var template = document.getElementById("scan-result-template");
  var status = document.getElementById("scanner-status");
  var noKey = document.getElementById("scanner-no-key");
  var cameraBox = document.getElementById("scanner-camera");
  var toggle = document.getElementById("scanner-camera-toggle");
  var cameraMessage = document.getElementById("scanner-camera-message");
  var conflicts = document.getElementById("scanner-conflicts");

  var TOKEN_KEY = "forum-scanner-token:" + slug;
  var CACHE = "forum-scanner-v1";
  var DEBOUNCE_MS = 3000;        // the same code is not sent again within this time
  var REQUEST_TIMEOUT_MS = 6000; // then the scan is checked offline (same nonce: no double)
  var SYNC_EVERY_MS = 15000;
  var PACK_EVERY_MS = 60000;

  var token = takeToken();
  var last = {code: null, at: 0};
  var audio = null;
  // Focus stays in the text box for keyboard-like scanners, but a phone's on-screen keyboard
  // is not pushed over the camera: on a touch screen only once a code has been typed.
  var typing = !(window.matchMedia && matchMedia("(pointer: coarse)").matches);

  // --- small helpers ------------------------------------------------------------------------

  function format(text, values) {
    return String(text).replace(/%\((\w+)\)[sd]/g, function (match, key) {
      return values[key] === undefined || values[key] === null ? "" : String(values[key]);
    });
  }

  function normalise(raw) {
    return String(raw || "").replace(/\s+/g, "").toUpperCase();
  }

  function newNonce() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec"];

  function localTime(value) {
    var date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) {
      return String(value || "");
    }
    // The server's one date-time format per language (forum_app/i18n.py, DATE_FORMATS).
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ulaanbaatar", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"})
      .formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    var clock = parts.hour + ":" + parts.minute;
    if (lang === "en") {
      return Number(parts.day) + " " + MONTHS[Number(parts.month) - 1] + " " + parts.year +
        ", " + clock;
    }
    return parts.year + "." + parts.month + "." + parts.day + " " + clock;
  }

  function storage(action, value) {
    try {
      if (action === "get") {
        return localStorage.getItem(TOKEN_KEY);
      }
      if (action === "set") {
        localStorage.setItem(TOKEN_KEY, value);
      } else {
        localStorage.removeItem(TOKEN_KEY);
      }
    } catch (error) { /* private mode: the key lives as long as the page */ }
    return null;
  }

  function takeToken() {
    var match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (match) {
      var fresh = decodeURIComponent(match[1]);
      storage("set", fresh);
      history.replaceState(null, "", location.pathname + location.search);
      return fresh;
    }
    return storage("get");
  }

  function call(method, path, body, headers) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    var all = {"Authorization": "Bearer " + token, "Accept": "application/json"};
    Object.keys(headers || {}).forEach(function (name) { all[name] = headers[name]; });
    if (body !== undefined) {
      all["Content-Type"] = "application/json";
    }
    var url = api + path + (path.indexOf("?") < 0 ? "?" : "&") + "lang=" + encodeURIComponent(lang);
    return fetch(url, {method: method, headers: all, credentials: "omit", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal})
      .finally(function () { clearTimeout(timer); });
  }

  // --- status line: network, waiting scans, offline list ------------------------------------

  function statusPart(name) {
    return status.querySelector("[data-status=" + name + "]");
  }

  function setOnline(flag) {
    statusPart("net").textContent = flag ? texts.online : texts.offline;
    status.classList.toggle("scanner-status--offline", !flag);
  }

  function showStatus() {
    var pack = offline.info();
    var packPart = statusPart("pack");
    packPart.hidden = !pack;
    if (pack) {
      packPart.textContent = format(texts.pack, {count: pack.count, time: localTime(pack.fetched)});
    }
    return offline.waiting().then(function (count) {
      var part = statusPart("queue");
      part.setAttribute("data-count", String(count));
      part.textContent = count ? format(texts.waiting, {count: count}) : texts.synced;
      part.hidden = false;
    }).catch(function () { /* no IndexedDB: nothing waits */ });
  }

  function lostKey() {
    token = null;
    storage("remove");
    camera.stop();
    cameraBox.hidden = true;
    status.hidden = true;
    noKey.textContent = texts.no_key;
    noKey.hidden = false;
  }

  function showConflict(answer) {
    var name = (answer.attendee && answer.attendee.name) || "";
    var item = document.createElement("li");
    item.textContent = format(texts.conflict, {name: name, message: answer.message || ""});
    conflicts.querySelector("ul").appendChild(item);
    conflicts.hidden = false;
  }

  var offline = window.ScannerOffline({event: slug, entryMode: root.getAttribute("data-entry-mode"),
    gate: gate, sessionId: sessionId, texts: texts, call: call, hooks: {keyLost: lostKey,
      online: setOnline, conflict: showConflict, changed: function () { showStatus(); }}});

  // --- the result on screen, with sound and vibration ---------------------------------------

  function toneOf(result) {
    if (result === "admitted") {
      return "ok";
    }
    return result === "already_checked_in" ? "warn" : "err";
  }

  function unlockAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try {
        audio = new Context();
      } catch (error) {
        audio = null;
      }
    }
    if (audio && audio.state === "suspended") {
      audio.resume().catch(function () { /* stays silent */ });
    }
  }

  function signal(tone) {
    var notes = {ok: [[880, 0, 0.12]], warn: [[660, 0, 0.1], [660, 0.18, 0.1]],
      err: [[220, 0, 0.45]]}[tone];
    if (audio && audio.state === "running") {
      notes.forEach(function (note) {
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        oscillator.type = tone === "err" ? "square" : "sine";
        oscillator.frequency.value = note[0];
        gain.gain.value = 0.15;
        oscillator.connect(gain);
        gain.connect(audio.destination);
        oscillator.start(audio.currentTime + note[1]);
        oscillator.stop(audio.currentTime + note[1] + note[2]);
      });
    }
    if (navigator.vibrate && navigator.userActivation && navigator.userActivation.hasBeenActive) {
      navigator.vibrate({ok: 80, warn: [80, 80, 80], err: [300, 100, 300]}[tone]);
    }
  }

  function slot(panel, name) {
    return panel.querySelector("[data-slot=" + name + "]");
  }

  function fill(panel, name, text) {
    var node = slot(panel, name);
    node.textContent = text || "";
    node.hidden = !text;
  }

  function show(outcome) {
    var panel = template.content.firstElementChild.cloneNode(true);
    var tone = toneOf(outcome.result);
    var attendee = outcome.attendee || {};
    var previous = outcome.previous;
    panel.className = "scan-result scan-result--" + tone
      + (outcome.offline ? " scan-result--offline" : "");
    panel.setAttribute("data-result", outcome.result);
    slot(panel, "label").textContent = outcome.label || texts.labels[outcome.result]
      || outcome.result;
    fill(panel, "name", attendee.name);
    fill(panel, "kind", [attendee.stakeholder_label, attendee.organisation].filter(Boolean)
      .join(" · "));
    slot(panel, "access").textContent = attendee.accessibility_needs || "";
    slot(panel, "access-row").hidden = !attendee.accessibility_needs;
    fill(panel, "message", outcome.message);
    // The server's message says when, where and by whom; an offline "already" needs this line.
    fill(panel, "previous", outcome.offline && previous && previous.at ? format(texts.previous, {
      time: localTime(previous.at), gate: previous.gate || "—", by: previous.by || "—"}) : "");
    if (outcome.result === "admitted" && outcome.checkin_id && !outcome.offline) {
      setUpUndo(panel, outcome.checkin_id, outcome.code);
    } else {
      slot(panel, "undo").remove();
    }
    resultArea.replaceChildren(panel);
    signal(tone);
    document.dispatchEvent(new CustomEvent("scanner:result", {detail: {
      result: outcome.result, offline: Boolean(outcome.offline), at: performance.now()}}));
  }

  function showUndone() {
    var done = template.content.firstElementChild.cloneNode(true);
    done.className = "scan-result scan-result--none";
    slot(done, "label").textContent = texts.undone;
    ["name", "kind", "message", "previous"].forEach(function (name) { fill(done, name, ""); });
    slot(done, "access-row").hidden = true;
    slot(done, "undo").remove();
    resultArea.replaceChildren(done);
  }

  function setUpUndo(panel, checkinId, code) {
    var details = slot(panel, "undo");
    var undoForm = slot(panel, "undo-form");
    details.hidden = false;
    undoForm.setAttribute("action", root.getAttribute("data-annul")
      .replace(/\/0\/annul$/, "/" + checkinId + "/annul"));
    details.addEventListener("toggle", function () {
      if (details.open) {
        undoForm.querySelector("[name=reason]").focus();
      }
    });
    undoForm.addEventListener("submit", function (event) {
      if (!token) {
        return; // the page's own form does it, with the signed-in session
      }
      event.preventDefault();
      var reason = undoForm.querySelector("[name=reason]").value.trim();
      call("POST", "/" + checkinId + "/annul", {reason: reason}).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data.error || String(response.status));
          }
          showUndone();
          // A ticket still held up to the camera is not let in again at once.
          last = {code: code, at: Date.now()};
          ready();
        });
      }).catch(function (error) {
        var message = undoForm.querySelector(".error") || document.createElement("p");
        message.className = "error";
        message.textContent = format(texts.error, {error: error.message});
        undoForm.appendChild(message);
      });
    });
  }

  function undoOpen() {
    return Boolean(resultArea.querySelector("details[open]"));
  }

  function ready() {
    input.value = "";
    if (typing && !camera.running() && !undoOpen()) {
      input.focus({preventScroll: true});
    }
  }

  // --- one scan: online first, else against the offline list --------------------------------

  function checkOnline(scan) {
    if (!navigator.onLine) {
      setOnline(false);
      return Promise.reject(new Error("offline"));
    }
    var body = {code: scan.code, nonce: scan.nonce};
    if (scan.session_id) {
      body.session_id = scan.session_id;
    }
    if (scan.gate) {
      body.gate = scan.gate;
    }
    return call("POST", "", body).then(function (response) {
      if (response.status === 401) {
        lostKey();
        return {result: "no_key"};
      }
      if (response.status >= 500) {
        throw new Error("server " + response.status);
      }
      setOnline(true);
      return response.json().then(function (data) {
        return response.ok ? data : {result: "error",
          message: data.error || String(response.status)};
      });
    }, function (error) {
      setOnline(false);
      throw error;
    });
  }

  function submitCode(raw) {
    var code = normalise(raw);
    var now = Date.now();
    if (!code || (code === last.code && now - last.at < DEBOUNCE_MS)) {
      return Promise.resolve();
    }
    last = {code: code, at: now};
    var scan = {code: code, nonce: newNonce(), scanned_at: new Date().toISOString(),
      gate: gate, session_id: sessionId};
    return checkOnline(scan).catch(function () {
      return offline.check(scan); // the same nonce: if the server did get it, no double
    }).then(function (outcome) {
      if (outcome.result === "no_key") {
        input.value = code; // the key was revoked: the signed-in page takes this code
        form.submit();
        return;
      }
      outcome.code = code;
      show(outcome);
      if (!outcome.offline) {
        offline.sync();
      }
    }).catch(function (error) {
      show({result: "error", message: format(texts.error, {error: error.message})});
    }).then(ready);
  }

  form.addEventListener("submit", function (event) {
    if (!token) {
      return; // no scanner key: the plain form posts with the signed-in session
    }
    event.preventDefault();
    unlockAudio();
    typing = true;
    var raw = input.value;
    input.value = "";
    submitCode(raw);
  });

  // --- the camera -----------------------------------------------------------------------------

  var camera = window.ScannerCamera({video: document.getElementById("scanner-video"),
    onCode: submitCode, paused: undoOpen});

  toggle.addEventListener("click", function () {
    unlockAudio();
    if (camera.running()) {
      camera.stop();
      toggle.textContent = texts.start_camera;
      ready();
      return;
    }
    camera.start().then(function () {
      typing = false;
      toggle.textContent = texts.stop_camera;
      cameraMessage.textContent = texts.camera_hint;
    }, function (error) {
      cameraMessage.textContent = format(texts.camera_error, {error: error.name || error.message});
    });
  });

  // --- keeping the page for offline use -------------------------------------------------------

  function keepOffline() {
    if (!("serviceWorker" in navigator) || !("caches" in window)) {
      return;
    }
    var urls = [root.getAttribute("data-page")].concat(
      (root.getAttribute("data-assets") || "").split(" ").filter(Boolean));
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(urls);
    }).catch(function () { /* private mode or storage full: works online only */ });
    navigator.serviceWorker.register(root.getAttribute("data-worker"), {
      scope: root.getAttribute("data-scope")
    }).catch(function () { /* not allowed here */ });
  }

  // --- start ----------------------------------------------------------------------------------

  document.addEventListener("keydown", unlockAudio, {once: true});
  document.addEventListener("pointerdown", unlockAudio, {once: true});
  if (!token) {
    lostKey();
    return;
  }
  status.hidden = false;
  cameraBox.hidden = false;
  setOnline(navigator.onLine !== false);
  keepOffline();
  window.addEventListener("online", function () {
    setOnline(true);
    offline.sync();
  });
  window.addEventListener("offline", function () { setOnline(false); });
  offline.load().then(offline.refresh).then(offline.sync);
  setInterval(offline.sync, SYNC_EVERY_MS);
  setInterval(offline.refresh, PACK_EVERY_MS);
  ready();
})();
