/* Live session page: keep "left at the live price" and stock current while the page is visible.
   Every text a shopper reads is rendered by the server in their language; this script only
   writes numbers and toggles the hidden attribute and the add buttons. No dependencies. */
(function () {
  "use strict";

  var page = document.querySelector("[data-live-session][data-stock-url]");
  if (!page || !window.fetch) {
    return;
  }
  var url = page.getAttribute("data-stock-url");
  var status = page.getAttribute("data-status");
  // On air: every 5 s. Scheduled: now and then, only to notice the start.
  var DELAYS = { live: 5000, scheduled: 30000 };
  var timer = null;
  var busy = false;

  function setHidden(element, hidden) {
    if (element) {
      element.hidden = hidden;
    }
  }

  function setNumber(element, value) {
    if (element && element.textContent !== String(value)) {
      element.textContent = String(value);
    }
  }

  function applyItem(row, remaining, stock) {
    setNumber(row.querySelector("[data-live-remaining]"), remaining);
    setNumber(row.querySelector("[data-live-stock]"), stock);
    setHidden(row.querySelector("[data-live-soldout]"), remaining > 0);
    setHidden(row.querySelector("[data-live-stockout]"), stock > 0 || remaining <= 0);
    var button = row.querySelector("[data-live-add]");
    if (button) {
      button.disabled = status !== "live" || remaining <= 0 || stock <= 0;
    }
  }

  function apply(data) {
    var rows = {};
    page.querySelectorAll("[data-live-item]").forEach(function (row) {
      rows[row.getAttribute("data-variant")] = row;
    });
    if (data.status !== status) {
      if (status === "scheduled" && data.status === "live") {
        // The add buttons are rendered by the server; spread the reloads of a large audience.
        window.setTimeout(function () { window.location.reload(); }, Math.random() * 3000);
        return;
      }
      status = data.status;
      page.setAttribute("data-status", status);
      setHidden(page.querySelector("[data-live-ended]"), status !== "ended");
      if (status !== "live") {
        page.querySelectorAll("[data-live-add]").forEach(function (button) {
          button.disabled = true;
        });
      }
    }
    (data.items || []).forEach(function (item) {
      var row = rows[String(item.variant)];
      if (row) {
        applyItem(row, item.remaining, item.stock);
      }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    var delay = DELAYS[status];
    if (delay && document.visibilityState === "visible") {
      timer = window.setTimeout(poll, delay);
    }
  }

  function poll() {
    if (busy || !DELAYS[status]) {
      return;
    }
    busy = true;
    // No cookies: the answer is the same for everyone, so shared caches may serve it.
    fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) {
          // Cancelled while the page was open: the live prices no longer apply.
          return { status: "ended", items: [] };
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          apply(data);
        }
      })
      .catch(function () {
        /* A dropped connection on a rural network: try again at the next tick. */
      })
      .then(function () {
        busy = false;
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      window.clearTimeout(timer);
      timer = null;
    }
  });
  schedule();
})();
