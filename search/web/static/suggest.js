// Names as you type: the names the reports write that start like the end of the query, with their
// report counts (/api/suggest), in a list under the box (the ARIA combobox pattern: arrows move,
// Enter or a click takes one, Escape closes). Without this script the box is a plain search box.
(function () {
  "use strict";
  var box = document.querySelector("form.search input[name=q]");
  if (!box || !window.fetch) return;
  var list = document.createElement("ul");
  list.id = "suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Noms des rapports");
  list.hidden = true;
  box.form.appendChild(list);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-expanded", "false");
  box.setAttribute("aria-controls", "suggestions");
  box.setAttribute("autocomplete", "off");
  var items = [], fragment = "", active = -1, asked = 0, timer = null;

  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function show(data) {
    items = data.suggestions;
    fragment = data.fragment;
    list.textContent = "";
    if (!items.length) return close();
    items.forEach(function (s, i) {
      var li = document.createElement("li"), name = document.createElement("span"), count = document.createElement("span");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      name.textContent = s.name;
      count.className = "count";
      count.textContent = s.reports + (s.reports > 1 ? " rapports" : " rapport");
      li.appendChild(name);
      li.appendChild(count);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    active = -1;
  }
  function ask() {
    var text = box.value, mine = ++asked;
    if (text.trim().length < 2 || /\s$/.test(text)) return close();
    fetch("/api/suggest?limit=8&q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (mine === asked && data && box.value === text) show(data); })
      .catch(close);
  }
  function move(step) {
    if (list.hidden || !items.length) return;
    active = (active + step + items.length) % items.length;
    Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", String(i === active)); });
    box.setAttribute("aria-activedescendant", "suggestion-" + active);
  }
  function choose(i) {
    var text = box.value;
    box.value = text.slice(0, text.length - fragment.length) + items[i].name;
    close();
    box.focus();
  }
  box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
  box.addEventListener("blur", function () { setTimeout(close, 150); });
  box.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.stopPropagation();  // the list closes; the box keeps the focus
      close();
    }
  });
})();
