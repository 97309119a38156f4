// paperkit preview: follow the paper as it is saved. The server says when a new build is ready
// (server-sent events); the page swaps in the new heading block and text where the reader is,
// keeping the scroll position, and shows the build's diagnostics in the toolbar's banner.
(() => {
  "use strict";
  const root = document.documentElement;
  let version = Number(root.dataset.pkVersion || "0");
  const banner = document.getElementById("pk-banner");
  const list = document.getElementById("pk-diagnostics");
  const status = document.getElementById("pk-status");

  function swap(html) {
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const y = window.scrollY;
    for (const selector of ["header.heading-block", "main#main"]) {
      const old = document.querySelector(selector);
      const replacement = fresh.querySelector(selector);
      if (old && replacement) old.replaceWith(document.importNode(replacement, true));
    }
    window.scrollTo(0, y);
  }

  function readability(rows) {
    const body = document.querySelector("#pk-readability tbody");
    if (!body) return; // an agenda has none
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      const cells = [row.title, row.words, row.sentences, row.mean.toFixed(1), row.longest, row.ease ?? "-"];
      cells.forEach((value, i) => {
        const cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = String(value);
        tr.append(cell);
      });
      return tr;
    }));
  }

  function show(state) {
    if (state.ok) swap(state.html); // first: the diagnostics' links lead into the page as it now is
    if (state.ok) readability(state.readability);
    list.replaceChildren(...state.diagnostics.map((d) => {
      const item = document.createElement("li");
      item.className = d.severity;
      if (d.anchor && document.getElementById(d.anchor)) {
        // file:line leads to where that line shows in the page
        const link = document.createElement("a");
        link.href = `#${d.anchor}`;
        link.textContent = d.where;
        item.append(link, d.line.slice(d.where.length));
      } else {
        item.textContent = d.line;
      }
      return item;
    }));
    const errors = state.diagnostics.filter((d) => d.severity === "error").length;
    banner.hidden = state.ok && state.diagnostics.length === 0;
    banner.dataset.kind = state.ok ? "warnings" : "errors";
    document.getElementById("pk-banner-title").textContent = state.ok
      ? `${state.diagnostics.length} warning(s)`
      : state.has_page
        ? `${errors} error(s): the page shows the last version without errors`
        : `${errors} error(s): the paper is shown once they are fixed`;
    status.textContent = state.ok ? "Up to date" : "Not updated: fix the errors";
    root.dataset.pkVersion = String(state.version);
  }

  async function update() {
    const response = await fetch("/_paperkit/state", { cache: "no-store" });
    if (response.ok) show(await response.json());
  }

  const events = new EventSource("/_paperkit/events");
  events.onmessage = (event) => {
    const next = Number(event.data);
    if (next !== version) {
      version = next;
      update();
    }
  };
  update();
})();
