// Partnerskabsbasen widget: shows the newest cases of a search on any page, e.g. an intranet.
//
//   <div data-partnerskabsbasen="target_group=hjemloese" data-title="Nyeste om hjemløse">
//     <a href="https://…/sog?target_group=hjemloese">Nyeste partnerskaber</a>
//   </div>
//   <script src="https://…/widget.js" defer></script>
//
// It fetches /feed.json?<querystring> from the site the script came from (the API allows any
// origin by CORS) and replaces the div's content with a list of links. Feed text is only ever
// set with textContent, never parsed as HTML, so a page that embeds this stays safe. If the
// fetch fails, the fallback link inside the div stays as it is.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.fetch) { return; }
  var origin = new URL(script.src, document.baseURI).origin;
  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                "september", "oktober", "november", "december"];

  function danishDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return ""; }
    return date.getUTCDate() + ". " + MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear();
  }

  function isWebLink(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  function element(name, text) {
    var node = document.createElement(name);
    if (text) { node.textContent = text; }
    return node;
  }

  function item(entry) {
    var li = element("li");
    var link = element("a", String(entry.title || ""));
    link.href = entry.url;
    li.appendChild(link);
    if (entry.date_published) {
      var time = element("time", danishDate(entry.date_published));
      time.setAttribute("datetime", String(entry.date_published).slice(0, 10));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(time);
    }
    return li;
  }

  function render(host, feed) {
    var limit = parseInt(host.getAttribute("data-limit"), 10);
    var entries = (feed.items || []).filter(function (entry) { return isWebLink(entry.url); });
    if (limit > 0) { entries = entries.slice(0, limit); }
    var section = element("section");
    section.setAttribute("lang", "da");
    section.className = "partnerskabsbasen";
    section.appendChild(element("h2", host.getAttribute("data-title") || "Nyeste partnerskaber"));
    var list = element("ul");
    entries.forEach(function (entry) { list.appendChild(item(entry)); });
    section.appendChild(list);
    while (host.firstChild) { host.removeChild(host.firstChild); }
    host.appendChild(section);
  }

  function load(host) {
    var query = host.getAttribute("data-partnerskabsbasen") || "";
    fetch(origin + "/feed.json" + (query ? "?" + query.replace(/^\?/, "") : ""))
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (feed) { render(host, feed); })
      .catch(function () { /* keep the fallback link */ });
  }

  function start() {
    document.querySelectorAll("[data-partnerskabsbasen]").forEach(load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
