/* Forms that failed: focus the error summary when the page loads, so it is read first and on screen, and on a
   link of the summary focus the field it names (its label scrolled into view too). Without this script the
   summary still sits at the top of the page or of its form and its links still scroll to the fields. */
(function () {
  "use strict";

  // Each summary on the page loads this file; the first copy does the work.
  if (window.oasisErrorSummary) {
    return;
  }
  window.oasisErrorSummary = true;

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) {
      return false;
    }
    if (field.tabIndex < 0 && !field.hasAttribute("tabindex")) {
      field.setAttribute("tabindex", "-1");
    }
    field.focus({ preventScroll: true });
    var label = field.id ? document.querySelector("label[for='" + field.id + "']") : null;
    var fieldset = field.closest("fieldset");
    var shown = fieldset && !label ? fieldset : label || field;
    shown.scrollIntoView({ block: "start" });
    return true;
  }

  function start() {
    var summaries = document.querySelectorAll("[data-error-summary]");
    if (!summaries.length) {
      return;
    }
    // A form that posts back to an anchor (#item-3) has its summary there: focus that one. An anchor without a
    // summary keeps the page where the anchor put it.
    var hash = window.location.hash.slice(1);
    var target = hash ? document.getElementById(decodeURIComponent(hash)) : null;
    var summary = target ? target.querySelector("[data-error-summary]") : summaries[0];
    if (summary) {
      summary.focus();
      // The browser's own move to the anchor happens once the page has loaded and may take focus back to the
      // body: focus the summary again then.
      if (target && document.readyState !== "complete") {
        window.addEventListener("load", function () {
          if (document.activeElement === document.body) {
            summary.focus();
          }
        });
      }
    }
    Array.prototype.forEach.call(summaries, function (box) {
      box.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (link && focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) {
          event.preventDefault();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
