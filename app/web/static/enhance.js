// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  // Facet checkboxes submit the search at once; the "Anvend filtre" button stays for no-JS.
  // WCAG 3.2.2: the advice that a change reloads the list is shown (and tied to each facet
  // group) only where this script makes it true; after the reload, focus returns to the
  // checkbox that was changed, so keyboard and screen-reader users keep their place.
  var form = document.getElementById("search-form");
  var FOCUS_KEY = "partnerskabsbasen.facet-focus";
  if (form) {
    var advice = document.getElementById("facets-auto");
    if (advice) {
      advice.hidden = false;
      form.querySelectorAll("fieldset.facet").forEach(function (fieldset) {
        fieldset.setAttribute("aria-describedby", "facets-auto");
      });
    }
    try {
      var focusId = sessionStorage.getItem(FOCUS_KEY);
      sessionStorage.removeItem(FOCUS_KEY);
      var box = focusId && document.getElementById(focusId);
      if (box) { box.focus(); }
    } catch (e) { /* storage blocked: focus simply starts at the top */ }
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.type === "checkbox") {
        var page = form.querySelector('input[name="page"]');
        if (page) { page.remove(); }
        try { sessionStorage.setItem(FOCUS_KEY, target.id); } catch (e) { /* ignore */ }
        form.submit();
      }
    });
  }
  // "Kopiér kildehenvisning": show the button only where the clipboard can be used.
  document.querySelectorAll(".copy-button").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = button.parentNode.querySelector(".copy-status");
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) { status.textContent = "Kildehenvisningen er kopieret."; }
      }, function () {
        source.select();
        if (status) { status.textContent = "Markér teksten og kopiér den med Ctrl+C."; }
      });
    });
  });
})();
