/* "Raise an issue": while the title is typed, show similar existing issues (debounced).
   Without JavaScript the "Check for similar issues" button does the same on the server. */
(function () {
  "use strict";

  var DELAY_MS = 400;
  var MIN_LENGTH = 3;

  function start() {
    var box = document.getElementById("issue-suggestions");
    var title = document.getElementById("title");
    if (!box || !title || !window.fetch) {
      return;
    }
    var url = box.getAttribute("data-url");
    var timer = null;
    var last = title.value.trim();
    var controller = null;

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) {
        node.className = className;
      }
      if (text !== undefined) {
        node.textContent = text;
      }
      return node;
    }

    function render(data) {
      box.textContent = "";
      if (!data.results.length) {
        box.appendChild(element("p", "suggestions suggestions--none", box.getAttribute("data-none")));
        return;
      }
      var section = element("section", "suggestions");
      section.setAttribute("aria-labelledby", "suggestions-heading");
      var heading = element("h2", "", box.getAttribute("data-heading"));
      heading.id = "suggestions-heading";
      section.appendChild(heading);
      section.appendChild(element("p", "hint", box.getAttribute("data-hint")));
      var list = element("ul", "suggestion-list");
      data.results.forEach(function (issue) {
        var item = element("li");
        var link = element("a", "", issue.title);
        link.href = issue.url;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(element("span", "suggestion-list__facts", issue.status + " · " + issue.supports_label));
        list.appendChild(item);
      });
      section.appendChild(list);
      box.appendChild(section);
    }

    function lookup() {
      var query = title.value.trim();
      if (query === last) {
        return;
      }
      last = query;
      if (controller) {
        controller.abort();
      }
      if (query.length < MIN_LENGTH) {
        box.textContent = "";
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: {"Accept": "application/json"},
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data && data.query === title.value.trim().slice(0, 200)) {
          render(data);
        }
      }).catch(function () { /* offline or aborted: the button still works */ });
    }

    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY_MS);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
