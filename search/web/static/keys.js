// Keyboard moves, a small script: every page is complete without it (plain links and forms).
// Search page: '/' focuses the search box, 'j' / 'k' the next / previous result (list or table),
// Escape leaves the box. Report page: 'j' / 'k' the next / previous match, 'u' back to the results.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function results(event) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".hit h2 a, .hits-table th[scope=row] a"));
    if (!links.length) return false;
    var at = links.indexOf(document.activeElement);
    var next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    links[next].focus();
    return true;
  }
  function matches(event) {
    var marks = document.querySelectorAll("#texte mark[id^=m]");
    if (!marks.length) return false;
    var found = /^#m(\d+)$/.exec(window.location.hash);
    var at = found ? parseInt(found[1], 10) : 0;
    var next = event.key === "j" ? Math.min(at + 1, marks.length) : Math.max(at - 1, 1);
    window.location.hash = "#m" + next;
    return true;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var box = document.querySelector("form.search input[name=q]");
    if (typing(event.target)) {
      if (event.key === "Escape" && event.target === box) box.blur();
      return;
    }
    if (event.key === "/" && box) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (event.key === "u") {
      var up = document.querySelector("a[rel=up]");
      if (up) {
        event.preventDefault();
        window.location.href = up.href;
      }
      return;
    }
    if (event.key !== "j" && event.key !== "k") return;
    if (document.getElementById("texte") ? matches(event) : results(event)) event.preventDefault();
  });
})();
