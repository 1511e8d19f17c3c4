// Keyboard moves, the only script: '/' focuses the search box, 'j' / 'k' the next / previous result,
// Escape leaves the box. Every page is complete without it (plain links and forms).
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
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
    if (event.key !== "j" && event.key !== "k") return;
    var links = Array.prototype.slice.call(document.querySelectorAll(".hit h2 a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    event.preventDefault();
    links[next].focus();
  });
})();
