/* The API reference (/api/v1/docs): Swagger UI (npm's swagger-ui-dist, static/vendor) draws the
   OpenAPI document in place of the server's plain list of operations. Its 1.7 MB script (about
   360 kB compressed) is fetched once the page has loaded, so the page and its plain list are
   there at once on a slow connection. Read only: no "try it out", no online validator
   (nothing leaves the site). It is drawn inside the site's page, so it brings no <main> or
   <h1> of its own (the page's head says what the API is: a layout of ours with Swagger UI's
   operations, where its BaseLayout adds both), and its unnamed selects and response tables
   get names for screen readers. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root) {
    return;
  }

  function referenceLayout(system) {
    var h = system.React.createElement;
    return {components: {ReferenceLayout: function (props) {
      var Errors = props.getComponent("errors", true);
      var Operations = props.getComponent("operations", true);
      return h("div", {className: "swagger-ui"}, h(Errors), h(Operations));
    }}};
  }

  function name(element, label) {
    if (!element.hasAttribute("aria-label") && !element.hasAttribute("aria-labelledby")) {
      element.setAttribute("aria-label", label);
    }
  }

  function tidy() {
    root.querySelectorAll("select").forEach(function (select) {
      var row = select.closest("[data-param-name]");
      name(select, row ? row.getAttribute("data-param-name") : "servers");
    });
    root.querySelectorAll("table[role=region]").forEach(function (table) {
      name(table, table.id.replace(/_/g, " ").trim());
    });
  }

  function draw() {
    if (typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    new MutationObserver(tidy).observe(root, {childList: true, subtree: true});
    window.SwaggerUIBundle({
      url: root.getAttribute("data-url"),
      domNode: root,
      plugins: [referenceLayout],
      layout: "ReferenceLayout",
      deepLinking: false,
      docExpansion: "list",
      defaultModelsExpandDepth: -1,
      supportedSubmitMethods: [],
      validatorUrl: null,
      onComplete: function () {
        tidy();
        var plain = document.getElementById("api-operations");
        if (plain && root.querySelector(".opblock")) {
          plain.hidden = true;
        }
      }
    });
  }

  window.addEventListener("load", function () {
    var script = document.createElement("script");
    script.src = root.getAttribute("data-viewer");
    script.onload = draw;
    document.head.appendChild(script);
  });
}());
