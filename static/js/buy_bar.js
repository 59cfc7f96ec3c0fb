/* The product page's add-to-cart bar (pinned to the bottom of a phone's screen) shows the price of the size
   chosen. Without this script it shows the price of the size chosen when the page loaded. */
(function () {
  "use strict";

  function start() {
    var price = document.querySelector("[data-buy-price]");
    var form = price && price.closest("form");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.name === "variant" && input.checked && input.dataset.price) {
        price.textContent = input.dataset.price;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
