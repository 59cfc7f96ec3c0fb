/* /api/redoc/: start ReDoc on the schema named by the page, with the options the page holds.
   ReDoc's styling library writes <style> elements, which the page's Content-Security-Policy lets in
   only with the nonce this script was given; ReDoc puts it on each of them. */
(function () {
  "use strict";

  var container = document.getElementById("redoc-container");
  var options = document.getElementById("redoc-settings");
  if (!container || !window.Redoc) {
    return;
  }
  var settings = options ? JSON.parse(options.textContent) : {};
  var nonce = document.currentScript && document.currentScript.nonce;
  if (nonce) {
    settings.nonce = nonce;
  }
  window.Redoc.init(container.getAttribute("data-schema-url"), settings, container);
})();
