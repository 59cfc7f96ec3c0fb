/* A search box above every <select data-select-search>: what is typed narrows the options to those whose label,
   group (a village's county) or data-search words (the name in every language, other spellings) contain it.
   One match is chosen at once; several show as a short list. Without this script the select works as it is.
   Texts come from the select: data-search-label for the box, data-search-empty when nothing matches. */
(function () {
  "use strict";

  if (window.oasisSelectSearch) {
    return;
  }
  window.oasisSelectSearch = true;

  function fold(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/[\s\-·'’]+/g, "");
  }

  function enhance(select) {
    if (select.hasAttribute("data-search-ready")) {
      return;
    }
    select.setAttribute("data-search-ready", "");
    var id = (select.id || select.name) + "_search";
    var box = document.createElement("div");
    box.className = "select-search";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-search-label") || "";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("dir", "auto");
    input.setAttribute("aria-controls", select.id);
    var note = document.createElement("small");
    note.className = "help select-search-note";
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(note);
    select.insertAdjacentElement("beforebegin", box);

    // Every option as the page had it: its group and the words it answers to.
    var blank = null;
    var entries = [];
    Array.prototype.forEach.call(select.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        Array.prototype.forEach.call(child.children, function (option) {
          entries.push({ group: child.label, option: option });
        });
      } else if (child.value === "" && !blank) {
        blank = child;
      } else {
        entries.push({ group: null, option: child });
      }
    });
    entries.forEach(function (entry) {
      entry.words = fold(
        [entry.option.textContent, entry.option.getAttribute("data-search"), entry.option.value, entry.group].join(" ")
      );
    });

    function show(matches) {
      var chosen = select.value;
      while (select.firstChild) {
        select.removeChild(select.firstChild);
      }
      if (blank) {
        select.appendChild(blank);
      }
      var groups = {};
      matches.forEach(function (entry) {
        if (entry.group === null) {
          select.appendChild(entry.option);
          return;
        }
        if (!groups[entry.group]) {
          groups[entry.group] = document.createElement("optgroup");
          groups[entry.group].label = entry.group;
          select.appendChild(groups[entry.group]);
        }
        groups[entry.group].appendChild(entry.option);
      });
      var kept = matches.some(function (entry) { return entry.option.value === chosen; });
      select.value = kept ? chosen : "";
    }

    input.addEventListener("input", function () {
      var query = fold(input.value);
      var matches = query
        ? entries.filter(function (entry) { return entry.words.indexOf(query) !== -1; })
        : entries;
      show(matches);
      note.textContent = matches.length ? "" : select.getAttribute("data-search-empty") || "";
      if (query && matches.length === 1) {
        select.value = matches[0].option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (query && matches.length > 1) {
        select.size = Math.min(matches.length + 1 + Object.keys(matches.reduce(function (seen, entry) {
          seen[entry.group] = true;
          return seen;
        }, {})).length, 8);
      } else {
        select.removeAttribute("size");
      }
    });
    // Enter in the box chooses rather than sends the form half filled.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-select-search]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
