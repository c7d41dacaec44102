// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  // Facet checkboxes submit the search at once; the "Anvend filtre" button stays for no-JS.
  // WCAG 3.2.2: the advice that a change reloads the list is shown (and tied to each facet
  // group) only where this script makes it true; after the reload, focus returns to the
  // checkbox that was changed, so keyboard and screen-reader users keep their place.
  var form = document.getElementById("search-form");
  var FOCUS_KEY = "partnerskabsbasen.facet-focus";
  var WIDE = "(min-width: 52.0625rem)"; // site.css folds the layout at 52rem

  // Open every folded <details> around an element, so it can be seen and focused.
  function unfold(element) {
    for (var node = element; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
  }

  // A submitted form sends its empty fields too; leave them (and the default page size) out of
  // the address. The server tidies such an address as well, so this only saves a redirect.
  function leaveOutUnset() {
    form.querySelectorAll("#q, #year_from, #year_to, #per_page").forEach(function (field) {
      var unset = field.value.trim() === "" || field.value === field.getAttribute("data-default");
      if (unset) { field.disabled = true; }
    });
  }

  if (form) {
    var panel = document.getElementById("filtre-panel");
    if (panel && window.matchMedia && window.matchMedia(WIDE).matches) { panel.open = true; }
    document.querySelectorAll('a[href="#filtre"]').forEach(function (link) {
      link.addEventListener("click", function () { unfold(document.getElementById("filtre")); });
    });
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
      if (box) { unfold(box); box.focus(); }
    } catch (e) { /* storage blocked: focus simply starts at the top */ }
    form.addEventListener("submit", leaveOutUnset);
    // Back to a page kept in the browser's cache: the fields left out must work again.
    window.addEventListener("pageshow", function () {
      form.querySelectorAll(":disabled").forEach(function (field) { field.disabled = false; });
    });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.type === "checkbox") {
        var page = form.querySelector('input[name="page"]');
        if (page) { page.remove(); }
        try { sessionStorage.setItem(FOCUS_KEY, target.id); } catch (e) { /* ignore */ }
        leaveOutUnset();
        form.submit();
      }
    });
  }

  // "Kopiér kildehenvisning": show the button only where the clipboard can be used; if copying
  // fails, the text is selected so Ctrl+C copies it.
  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  document.querySelectorAll(".copy-button").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = button.parentNode.querySelector(".copy-status");
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = "Kildehenvisningen er kopieret."; }
      }, function () {
        select(source);
        if (status) { status.textContent = "Markér teksten og kopiér den med Ctrl+C."; }
      });
    });
  });
})();
