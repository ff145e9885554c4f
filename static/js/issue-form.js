/* The issue form, enhanced: a preview of the chosen photos before they are sent, and "Use my
   location" to fill in the map position from the phone. Without JavaScript the file field and
   the two number fields work alone, and the server checks everything again. */
(function () {
  "use strict";

  function fill(template, name) {
    return template.replace("{name}", name);
  }

  function showProblem(problem, messages) {
    problem.textContent = messages.join(" ");
    problem.hidden = messages.length === 0;
  }

  function startPreview() {
    var list = document.getElementById("photo-preview");
    var problem = document.getElementById("photo-preview-problem");
    var input = list && document.getElementById(list.getAttribute("data-for"));
    if (!input || !problem || !window.URL || !URL.createObjectURL) {
      return;
    }
    var maxCount = parseInt(list.getAttribute("data-max-count"), 10);
    var maxBytes = parseInt(list.getAttribute("data-max-bytes"), 10);
    var shown = [];

    input.addEventListener("change", function () {
      shown.forEach(function (url) { URL.revokeObjectURL(url); });
      shown = [];
      list.textContent = "";
      var messages = [];
      var files = Array.prototype.slice.call(input.files || []);
      if (files.length > maxCount) {
        messages.push(list.getAttribute("data-too-many"));
      }
      files.forEach(function (file) {
        if (file.size > maxBytes) {
          messages.push(fill(list.getAttribute("data-too-large"), file.name));
        }
        if (!/^image\/(jpeg|png|webp)$/.test(file.type)) {
          return;
        }
        var url = URL.createObjectURL(file);
        shown.push(url);
        var item = document.createElement("li");
        var image = document.createElement("img");
        image.src = url;
        image.alt = fill(list.getAttribute("data-alt"), file.name);
        image.width = 96;
        image.height = 96;
        item.appendChild(image);
        list.appendChild(item);
      });
      list.hidden = shown.length === 0;
      showProblem(problem, messages);
    });
  }

  function startLocation() {
    var button = document.getElementById("use-my-location");
    var status = document.getElementById("use-my-location-status");
    var latitude = document.getElementById("latitude");
    var longitude = document.getElementById("longitude");
    if (!button || !status || !latitude || !longitude || !navigator.geolocation) {
      return;
    }
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = button.getAttribute("data-waiting");
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(5);
        longitude.value = position.coords.longitude.toFixed(5);
        status.textContent = button.getAttribute("data-found");
        button.disabled = false;
      }, function () {
        status.textContent = button.getAttribute("data-denied");
        button.disabled = false;
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
    });
  }

  function start() {
    startPreview();
    startLocation();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
