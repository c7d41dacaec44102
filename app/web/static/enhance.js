// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  // Facet checkboxes submit the search at once; the "Anvend filtre" button stays for no-JS.
  var form = document.getElementById("search-form");
  if (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.type === "checkbox") {
        var page = form.querySelector('input[name="page"]');
        if (page) { page.remove(); }
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
