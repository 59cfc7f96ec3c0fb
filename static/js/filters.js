/* The product list's filters: folded behind their "Filter" button on a phone, open from the first look on a
   wider screen, where they fit beside the results. Without this script they start folded everywhere and the
   button opens them. */
(function () {
  "use strict";

  function start() {
    if (!window.matchMedia("(min-width: 48rem)").matches) {
      return;
    }
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
