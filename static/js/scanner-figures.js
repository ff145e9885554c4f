/* Live figures of the check-in: the page is complete without this script; with it the numbers,
   the arrivals chart and the latest scans refresh every 5 seconds from the page's JSON twin. */
(function () {
  "use strict";
  var root = document.getElementById("checkin-figures");
  if (!root || !window.fetch) {
    return;
  }
  var EVERY_MS = 5000;

  function part(name) {
    return root.querySelector("[data-figure=" + name + "]");
  }

  function cell(tag, text, scope) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (scope) {
      node.setAttribute("scope", scope);
    }
    return node;
  }

  function emptyRow(columns, text) {
    var row = document.createElement("tr");
    var only = cell("td", text);
    only.setAttribute("colspan", String(columns));
    row.appendChild(only);
    return row;
  }

  function drawSlots(slots) {
    var body = part("slots");
    var rows = slots.map(function (slot) {
      var row = document.createElement("tr");
      var barCell = cell("td", "");
      var bar = document.createElement("span");
      barCell.className = "arrivals__bar-cell";
      bar.className = "arrivals__bar bar--w" + slot.step;
      barCell.appendChild(bar);
      row.appendChild(cell("th", slot.label, "row"));
      row.appendChild(cell("td", String(slot.count)));
      row.appendChild(barCell);
      return row;
    });
    body.replaceChildren.apply(body, rows.length ? rows
      : [emptyRow(3, root.getAttribute("data-empty"))]);
  }

  function drawKinds(kinds) {
    var body = part("kinds");
    var rows = kinds.map(function (kind) {
      var row = document.createElement("tr");
      row.appendChild(cell("th", kind.label, "row"));
      row.appendChild(cell("td", String(kind.count)));
      return row;
    });
    body.replaceChildren.apply(body, rows.length ? rows
      : [emptyRow(2, root.getAttribute("data-empty"))]);
  }

  function drawRecent(recent) {
    var list = part("recent");
    var items = recent.map(function (scan) {
      return cell("li", [scan.at_label, scan.label, scan.name].filter(Boolean).join(" · "));
    });
    list.replaceChildren.apply(list, items.length ? items
      : [cell("li", root.getAttribute("data-empty-scans"))]);
  }

  function refresh() {
    fetch(root.getAttribute("data-source"), {headers: {"Accept": "application/json"},
      cache: "no-store", credentials: "same-origin"}).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (figures) {
      part("checked_in").textContent = String(figures.checked_in);
      part("confirmed").textContent = String(figures.confirmed);
      part("capacity").textContent = figures.capacity === null ? "—" : String(figures.capacity);
      drawSlots(figures.slots || []);
      drawKinds(figures.kinds || []);
      drawRecent(figures.recent || []);
      var time = new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Ulaanbaatar", hour: "2-digit",
        minute: "2-digit", hourCycle: "h23"}).format(new Date());
      part("updated").textContent = root.getAttribute("data-updated").replace("%(time)s", time);
    }).catch(function () { /* the figures on screen stay; next try in 5 s */ });
  }

  setInterval(refresh, EVERY_MS);
})();
