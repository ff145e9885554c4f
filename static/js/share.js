/* "Share this page" (templates/_share.html): the button the page shows only with this script.
   Where the browser has the Web Share API (most phones), it opens the phone's share sheet;
   elsewhere it copies the link to the clipboard, or at least selects it for the person to
   copy, and says which in the status line. The link field works without this script. */
(function () {
  "use strict";
  var button = document.querySelector(".share__button");
  if (!button) {
    return;
  }
  var box = button.closest(".share");
  var field = box.querySelector(".share__link");
  var status = box.querySelector(".share__status");
  var canShare = typeof navigator.share === "function";

  function say(message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function selectField() {
    field.focus();
    field.select();
    say(button.getAttribute("data-select"));
  }

  function copy() {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () {
        say(button.getAttribute("data-copied"));
      }, selectField);
      return;
    }
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    if (copied) {
      say(button.getAttribute("data-copied"));
    } else {
      selectField();
    }
  }

  button.textContent = button.getAttribute(canShare ? "data-label-share" : "data-label-copy");
  button.hidden = false;
  field.addEventListener("focus", function () { field.select(); });
  button.addEventListener("click", function () {
    if (!canShare) {
      copy();
      return;
    }
    navigator.share({title: button.getAttribute("data-share-title") || document.title,
                     url: field.value}).catch(function (error) {
      if (!error || error.name !== "AbortError") {
        copy();  // no share target, or sharing refused: copying still works
      }
    });
  });
}());
