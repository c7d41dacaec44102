// Runs app/web/static/widget.js against a tiny fake DOM, for tests/test_http.py.
// stdin: {"script": "<widget.js source>", "feed": <a JSON Feed>}
// stdout: what the widget fetched and rendered, as JSON.
"use strict";
const vm = require("vm");

class Text {
  constructor(text) { this.textContent = text; this.parentNode = null; }
}

class Element {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.childNodes = [];
    this.parentNode = null;
  }
  get firstChild() { return this.childNodes[0] || null; }
  get children() { return this.childNodes.filter((n) => n instanceof Element); }
  appendChild(node) { node.parentNode = this; this.childNodes.push(node); return node; }
  removeChild(node) { this.childNodes = this.childNodes.filter((n) => n !== node); return node; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  set className(value) { this.setAttribute("class", value); }
  set href(value) { this.setAttribute("href", value); }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(""); }
  set textContent(value) { this.childNodes = [new Text(String(value))]; }
  set innerHTML(_) { throw new Error("innerHTML used"); }
  set outerHTML(_) { throw new Error("outerHTML used"); }
  insertAdjacentHTML() { throw new Error("insertAdjacentHTML used"); }
  find(tag) {
    const found = [];
    for (const child of this.children) {
      if (child.tagName === tag.toUpperCase()) { found.push(child); }
      found.push(...child.find(tag));
    }
    return found;
  }
}

function host(query, title) {
  const div = new Element("div");
  div.setAttribute("data-partnerskabsbasen", query);
  if (title) { div.setAttribute("data-title", title); }
  const fallback = div.appendChild(new Element("a"));
  fallback.href = "https://partnerskabsbasen.example/sog";
  fallback.textContent = "Nyeste partnerskaber";
  return div;
}

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { script, feed } = JSON.parse(input);
  const hosts = [host("target_group=hjemloese", "Nyeste om hjemløse"), host("q=x")];
  const fetched = [];
  const document = {
    currentScript: { src: "https://partnerskabsbasen.example/widget.js" },
    baseURI: "https://intranet.example/forside",
    readyState: "complete",
    querySelectorAll: (selector) => {
      if (selector !== "[data-partnerskabsbasen]") { throw new Error("selector " + selector); }
      return hosts;
    },
    createElement: (tag) => new Element(tag),
    createTextNode: (text) => new Text(text),
    addEventListener: () => { throw new Error("the document is already loaded"); },
    write: () => { throw new Error("document.write used"); },
  };
  const fetch = (url) => {
    fetched.push(url);
    if (url.endsWith("q=x")) { return Promise.resolve({ ok: false, status: 500 }); }
    return Promise.resolve({ ok: true, status: 200, json: () => Promise.resolve(feed) });
  };
  const sandbox = { document, fetch, URL, console };
  sandbox.window = sandbox;
  vm.runInNewContext(script, sandbox);
  setTimeout(() => {
    const section = hosts[0].children[0];
    const links = section.find("li").map((li) => {
      const a = li.find("a")[0];
      const time = li.find("time")[0];
      return {
        href: a.getAttribute("href"),
        text: a.textContent,
        time: time ? time.textContent : null,
        datetime: time ? time.getAttribute("datetime") : null,
      };
    });
    process.stdout.write(JSON.stringify({
      fetched,
      ok: {
        tag: section.tagName.toLowerCase(),
        lang: section.getAttribute("lang"),
        heading: section.find("h2")[0].textContent,
        links,
      },
      failed: { fallback: hosts[1].textContent, children: hosts[1].children.length },
    }));
  }, 50);
});
