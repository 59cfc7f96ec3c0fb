/* Suggestions under a search box as the shopper types (the ARIA combobox pattern). After a pause in typing, the
   address in the box's container (data-suggest, /products/suggest/?q=) answers kinds of produce, villages,
   counties and products; ArrowDown and ArrowUp move through them, Enter opens the one chosen, Escape closes the
   list. Until one is chosen, Enter sends the form as typed; without this script the form works as it is.
   Texts come from the container: data-suggest-label names the list, data-suggest-<kind> says what each kind is. */
(function () {
  "use strict";

  if (window.oasisSearchSuggest) {
    return;
  }
  window.oasisSearchSuggest = true;

  var PAUSE = 150; // milliseconds without typing before asking

  function enhance(box) {
    var input = box.querySelector("input[type=search]");
    if (!input || box.hasAttribute("data-suggest-ready")) {
      return;
    }
    box.setAttribute("data-suggest-ready", "");
    var listId = (input.id || "search") + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    box.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function setOpen(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        highlight(-1);
      }
    }

    function highlight(index) {
      if (active >= 0 && options[active]) {
        options[active].element.setAttribute("aria-selected", "false");
      }
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var element = options[index].element;
      element.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", element.id);
      element.scrollIntoView({ block: "nearest" });
    }

    function go(url) {
      setOpen(false);
      window.location.assign(url);
    }

    function show(suggestions) {
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.textContent = "";
      options = suggestions.map(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.className = "suggest-option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "suggest-label";
        label.setAttribute("dir", "auto");
        label.textContent = suggestion.label;
        option.appendChild(label);
        var kind = box.getAttribute("data-suggest-" + suggestion.kind);
        if (kind) {
          var tag = document.createElement("span");
          tag.className = "suggest-kind";
          tag.textContent = kind;
          option.appendChild(tag);
        }
        // The box keeps the focus (and the list stays open) while a finger or the mouse picks an option.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        option.addEventListener("click", function () {
          go(suggestion.url);
        });
        list.appendChild(option);
        return { element: option, url: suggestion.url };
      });
      setOpen(options.length > 0 && document.activeElement === input);
    }

    function ask() {
      var typed = input.value.trim();
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (!typed) {
        show([]);
        return;
      }
      var init = { headers: { Accept: "application/json" }, credentials: "same-origin" };
      if (window.AbortController) {
        pending = new AbortController();
        init.signal = pending.signal;
      }
      fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), init)
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          // An answer to what is no longer typed is not shown.
          if (input.value.trim() === typed) {
            show(body.suggestions || []);
          }
        })
        .catch(function () {
          // Cancelled, or no connection: the box still searches when the form is sent.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, PAUSE);
    });

    input.addEventListener("keydown", function (event) {
      var count = options.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) {
          return;
        }
        event.preventDefault();
        if (list.hidden) {
          setOpen(true);
        }
        if (event.key === "ArrowDown") {
          highlight(active + 1 < count ? active + 1 : 0);
        } else {
          highlight(active > 0 ? active - 1 : count - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(options[active].url);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          setOpen(false);
        }
      }
    });

    input.addEventListener("blur", function () {
      setOpen(false);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-suggest]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
