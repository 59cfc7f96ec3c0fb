/* The host's live view: refresh the session's figures and latest orders while it is on air.
   Every text a host reads comes from the server in their language (amounts and times already
   formatted in the JSON, labels in the page and its <template>); this script only writes them
   in. Without it the page works the same with its Refresh link. No dependencies. */
(function () {
  "use strict";

  var page = document.querySelector("[data-host-live][data-figures-url]");
  if (!page || !window.fetch || !("content" in document.createElement("template"))) {
    return;
  }
  var url = page.getAttribute("data-figures-url");
  var delay = parseInt(page.getAttribute("data-interval"), 10) || 3000;
  var status = page.getAttribute("data-status");
  var timer = null;
  var busy = false;
  var lastOrders = null;

  function find(selector) {
    return page.querySelector(selector);
  }

  function setText(element, value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function orderRow(template, order) {
    var row = template.content.firstElementChild.cloneNode(true);
    setText(row.querySelector("[data-order-number]"), order.number);
    var time = row.querySelector("[data-order-time]");
    setText(time, order.placed_text);
    time.setAttribute("datetime", order.placed_at);
    setText(row.querySelector("[data-order-buyer]"), order.buyer);
    setText(row.querySelector("[data-order-units]"), order.units);
    setText(row.querySelector("[data-order-total]"), order.total.text);
    var note = row.querySelector("[data-order-status]");
    setText(note, order.status_label);
    note.hidden = order.counted;
    if (!order.counted) {
      row.classList.add("host-order-void");
    }
    return row;
  }

  function applyOrders(orders) {
    var list = find("[data-host-orders]");
    var template = find("template[data-host-order-row]");
    if (!list || !template) {
      return;
    }
    // Rebuild only when something changed: the list keeps its place for a reader otherwise.
    var key = JSON.stringify(orders);
    if (key === lastOrders) {
      return;
    }
    lastOrders = key;
    var fragment = document.createDocumentFragment();
    orders.forEach(function (order) {
      fragment.appendChild(orderRow(template, order));
    });
    list.replaceChildren(fragment);
    var empty = find("[data-host-orders-empty]");
    if (empty) {
      empty.hidden = orders.length > 0;
    }
  }

  function apply(data) {
    setText(find("[data-session-orders]"), data.orders);
    setText(find("[data-session-units]"), data.units);
    setText(find("[data-session-revenue]"), data.revenue.text);
    Object.keys(data.commission || {}).forEach(function (kind) {
      setText(find('[data-commission="' + kind + '"]'), data.commission[kind].text);
    });
    (data.items || []).forEach(function (item) {
      setText(find('[data-item-units="' + item.id + '"]'), item.units);
      setText(find('[data-item-cap="' + item.id + '"]'), item.cap);
      setText(find('[data-item-remaining="' + item.id + '"]'), item.remaining);
      setText(find('[data-item-orders="' + item.id + '"]'), item.orders);
      setText(find('[data-item-revenue="' + item.id + '"]'), item.revenue.text);
    });
    applyOrders(data.recent || []);
    if (data.status !== status) {
      status = data.status;
      page.setAttribute("data-status", status);
      var badge = find("[data-session-status]");
      if (badge) {
        setText(badge, data.status_label);
        badge.className = "live-badge live-badge-" + status;
      }
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    // After the session ends its figures still move (cancellations), but nobody is waiting on them.
    if (status === "live" && document.visibilityState === "visible") {
      timer = window.setTimeout(poll, delay);
    }
  }

  function poll() {
    if (busy) {
      return;
    }
    busy = true;
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          apply(data);
        }
      })
      .catch(function () {
        /* A dropped connection in a field or a vineyard: try again at the next tick. */
      })
      .then(function () {
        busy = false;
        schedule();
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      if (status === "live") {
        poll();
      }
    } else {
      window.clearTimeout(timer);
      timer = null;
    }
  });
  schedule();
})();
