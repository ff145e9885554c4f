/* The projector view: polls the room's JSON every 2 s with If-None-Match; a 304 means nothing
   changed. After a failed poll the next one asks without the tag: a full re-sync. */
(function () {
  "use strict";
  var root = document.getElementById("forum-screen");
  if (!root || !window.fetch) {
    return;
  }
  var EVERY_MS = 2000;
  var etag = root.getAttribute("data-etag");
  var broken = false;

  function part(name) {
    return root.querySelector("[data-part=" + name + "]");
  }

  function span(className, text) {
    var node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    return node;
  }

  function drawOptions(options) {
    part("options").replaceChildren.apply(part("options"), options.map(function (o) {
      var li = document.createElement("li");
      var count = span("screen__count", " " + root.getAttribute("data-votes"));
      var strong = document.createElement("strong");
      strong.textContent = String(o.votes);
      count.insertBefore(strong, count.firstChild);
      li.append(span("screen__option-title", o.title), count,
        span("screen__hands", o.hands + " " + root.getAttribute("data-hands")));
      if (o.pros) li.append(span("screen__procon", root.getAttribute("data-for") + " " + o.pros));
      if (o.cons) li.append(span("screen__procon", root.getAttribute("data-against") + " " + o.cons));
      return li;
    }));
  }

  function drawQuestions(questions) {
    part("questions").replaceChildren.apply(part("questions"), questions.map(function (q) {
      var li = document.createElement("li");
      li.className = (q.pinned ? "is-pinned" : "") + (q.answered ? " is-answered" : "");
      li.append(span("screen__q", q.body),
        span("screen__upvotes", q.upvotes + " " + root.getAttribute("data-upvotes")));
      if (q.by) {
        li.append(" ", span("screen__by", q.by));
      }
      return li;
    }));
  }

  function draw(state) {
    var item = state.item;
    part("stage").textContent = item ? item.stage_label : "";
    part("title").textContent = item ? item.title : state.empty;
    part("problem").textContent = item ? item.problem : "";
    drawOptions(state.options || []);
    drawQuestions(state.questions || []);
    root.setAttribute("data-drawn", String(Date.now()));
  }

  function poll() {
    var headers = {Accept: "application/json"};
    if (etag && !broken) {
      headers["If-None-Match"] = etag;
    }
    fetch(root.getAttribute("data-source"), {headers: headers, cache: "no-store",
      credentials: "same-origin"})
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) {
        broken = false;
        part("status").textContent = "";
        if (state) {
          draw(state);
        }
      })
      .catch(function () {
        broken = true;
        part("status").textContent = root.getAttribute("data-offline");
      })
      .then(function () {
        window.setTimeout(poll, EVERY_MS);
      });
  }

  window.setTimeout(poll, EVERY_MS);
}());
