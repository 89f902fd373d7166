/* Member import pages. The Content-Security-Policy forbids inline styles and scripts, so:
   - progress bars carry their width as data-lt-progress and get it here, also after each htmx
     poll swaps the status block in;
   - the "template for the chosen unit" link follows the unit select. */
(function () {
  "use strict";

  function paintProgress(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-lt-progress]") : [];
    for (var i = 0; i < bars.length; i++) {
      var percent = parseInt(bars[i].getAttribute("data-lt-progress"), 10) || 0;
      bars[i].style.width = Math.max(0, Math.min(100, percent)) + "%";
    }
  }

  function followUnitSelect() {
    var link = document.getElementById("lt-template-link");
    var select = document.getElementById("id_unit");
    if (!link || !select) {
      return;
    }
    select.addEventListener("change", function () {
      var base = link.getAttribute("data-lt-template-base");
      // No unit chosen yet ("— choose the unit —"): the blank template.
      link.setAttribute("href", select.value ? base + "?unit=" + encodeURIComponent(select.value) : base);
    });
  }

  function start() {
    paintProgress(document);
    followUnitSelect();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // htmx fires htmx:load on every piece of content it swaps in.
  document.addEventListener("htmx:load", function (event) {
    paintProgress(event.target);
  });
})();
