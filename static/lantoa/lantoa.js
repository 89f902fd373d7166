/* Lan Tỏa: small behaviours every page shares (no inline scripts: the Content-Security-Policy
   forbids them). */
(function () {
  "use strict";

  // A form sent back with errors: the first field in error takes the focus, so a screen reader
  // reads its label and, through aria-describedby, its error; on a phone the page scrolls to it.
  function focusFirstError(root) {
    var field = root.querySelector('[aria-invalid="true"]');
    if (field && field.getClientRects().length) {
      field.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
  });
  // A form swapped in by htmx (an agenda item, a bulletin article) after a failed save.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt;
    if (root && root.isConnected) {
      focusFirstError(root);
    }
  });
})();
