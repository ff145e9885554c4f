/* The participant's page works without this script. With it, the page notices changes in the
   room (the projector's small JSON, with If-None-Match) and reloads itself, but only while
   nothing is typed or chosen in a form: otherwise it offers a button instead, so a
   half-typed question is never lost. */
(function () {
  "use strict";
  var root = document.getElementById("forum-room");
  if (!root || !window.fetch) {
    return;
  }
  var EVERY_MS = 4000;
  var etag = strong(root.getAttribute("data-etag"));
  var offered = false;

  function strong(tag) {  // a proxy may weaken the tag; compare the value only
    return tag ? tag.replace(/^W\//, "") : tag;
  }

  function busy() {
    var active = document.activeElement;
    if (active && root.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) {
      return true;
    }
    return Array.prototype.some.call(root.querySelectorAll("textarea, input, select"),
      function (field) {
        if (field.type === "hidden" || field.type === "submit") {
          return false;
        }
        if (field.type === "radio" || field.type === "checkbox") {
          return field.checked !== field.defaultChecked;
        }
        return field.value !== field.defaultValue;
      });
  }

  function offer() {
    if (offered) {
      return;
    }
    offered = true;
    var note = document.createElement("p");
    var button = document.createElement("button");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = root.getAttribute("data-changed") + " ";
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = root.getAttribute("data-refresh");
    button.addEventListener("click", function () { window.location.reload(); });
    note.appendChild(button);
    root.insertBefore(note, root.firstChild);
  }

  function poll() {
    var headers = {Accept: "application/json"};
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(root.getAttribute("data-source"), {headers: headers, cache: "no-store",
      credentials: "same-origin"})
      .then(function (response) {
        var fresh = strong(response.headers.get("ETag"));
        if (response.ok && fresh) {
          if (etag && fresh !== etag) {
            if (busy()) {
              offer();
            } else {
              window.location.reload();
              return;
            }
          }
          etag = fresh;
        }
        window.setTimeout(poll, EVERY_MS);
      })
      .catch(function () {
        window.setTimeout(poll, EVERY_MS);
      });
  }

  poll();
}());
