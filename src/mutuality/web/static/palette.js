// mutuality: the command palette. Ctrl-K (Cmd-K on a Mac), or the "Jump to" button in the
// header, opens a dialog that finds a page or an action and a person as you type; the arrow
// keys move, Enter goes, Escape closes and the focus returns where it was. The places are
// read from the page's own navigation, so the palette offers exactly what the menu does.
// Needs picker.js (MutualityPeople). No inline script or style, no other origin.
"use strict";

(() => {
  const people = MutualityPeople;
  const EXTRA = [{ label: "Add a person", href: "/people/new", words: "new person contact create" }];
  const WORDS = {
    "/": "home today agenda to-do",
    "/people": "contacts list everyone search",
    "/log": "record exchange gave got gift favour",
    "/board": "needs offers wishes",
    "/introductions": "introduce connect",
    "/matches": "suggested introductions",
    "/requests": "asks favours decide",
    "/checkins": "check-in satisfaction feedback link",
    "/network": "graph picture map",
    "/capacity": "time hours budget",
    "/report": "quarter pdf summary",
    "/portfolio": "share shared public",
    "/repair": "mend fix relationship",
    "/settings": "preferences name email half-life tolerance",
  };

  function places() {
    const found = [...document.querySelectorAll("header.top nav a[href]")].map((link) => ({
      label: link.textContent.trim(),
      href: link.getAttribute("href"),
      words: WORDS[link.getAttribute("href")] || "",
    }));
    const log = found.findIndex((place) => place.href === "/log");
    found.splice(log < 0 ? found.length : log + 1, 0, ...EXTRA);
    return found.filter((place) => place.href && place.href.startsWith("/"));
  }

  /** How well the typed words name a place: 0 when its name starts with them, 1 when each
   *  begins a word of its name, 2 of its other words, 3 when its name holds them; null if not. */
  function rank(place, typed) {
    const label = people.key(place.label);
    const parts = people.key(typed).split(" ");
    const labelWords = label.split(/[\s&/-]+/);
    const otherWords = people.key(place.words).split(/[\s&/-]+/);
    const begins = (words) => parts.every((part) => words.some((w) => w.startsWith(part)));
    if (label.startsWith(parts.join(" "))) return 0;
    if (begins(labelWords)) return 1;
    if (begins([...labelWords, ...otherWords])) return 2;
    if (parts.every((part) => label.includes(part))) return 3;
    return null;
  }

  function build() {
    const dialog = document.createElement("dialog");
    dialog.className = "palette";
    dialog.setAttribute("aria-labelledby", "palette-title");
    const head = document.createElement("div");
    head.className = "palette-head";
    const title = document.createElement("h2");
    title.id = "palette-title";
    title.textContent = "Jump to a person or a page";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "palette-close";
    close.textContent = "Close";
    head.append(title, close);
    const input = document.createElement("input");
    input.type = "text";
    input.id = "palette-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-controls", "palette-list");
    input.setAttribute("aria-labelledby", "palette-title");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.placeholder = "a name, or a page such as Network";
    const list = document.createElement("ul");
    list.id = "palette-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People and pages");
    const empty = document.createElement("p");
    empty.className = "palette-empty";
    empty.hidden = true;
    const hint = document.createElement("p");
    hint.className = "palette-hint";
    hint.textContent = "↑ ↓ to move · Enter to go · Esc to close";
    const live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    dialog.append(head, input, list, empty, hint, live);
    document.body.append(dialog);
    return { dialog, input, list, empty, close, live };
  }

  document.addEventListener("DOMContentLoaded", () => {
    const header = document.querySelector("header.top");
    if (!header || !header.querySelector("nav")) return; // signed out: nowhere to jump
    const all = places();
    const parts = build();
    const { dialog, input, list, empty, close, live } = parts;
    let items = [];
    let active = 0;
    let returnTo = null;
    let pending = null;
    let timer = null;

    const opener = document.createElement("button");
    opener.type = "button";
    opener.className = "palette-open";
    opener.setAttribute("aria-haspopup", "dialog");
    opener.setAttribute("aria-keyshortcuts", "Control+K Meta+K");
    const glass = document.createElement("span");
    glass.className = "palette-glass";
    glass.setAttribute("aria-hidden", "true");
    const words = document.createElement("span");
    words.textContent = "Jump to";
    const keys = document.createElement("kbd");
    keys.textContent = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘K" : "Ctrl K";
    keys.setAttribute("aria-hidden", "true");
    opener.append(glass, words, keys);
    header.querySelector(".brand").after(opener);

    function render(found) {
      const typed = input.value.trim();
      items = all
        .map((place, order) => ({ place, order, score: typed ? rank(place, typed) : 0 }))
        .filter((each) => each.score !== null)
        .sort((a, b) => a.score - b.score || a.order - b.order)
        .map(({ place }) => ({ place }));
      for (const person of found ? found.people : []) items.push({ person });
      list.replaceChildren();
      items.forEach((item, i) => {
        const id = `palette-option-${i}`;
        list.append(
          item.place
            ? people.option(id, item.place.label, "", people.mark("→", "page"))
            : people.option(id, item.person.name, item.person.organisation || "", people.avatar(item.person.initials, item.person.name)),
        );
      });
      empty.hidden = items.length > 0;
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", String(items.length > 0));
      empty.textContent = `Nothing matches “${typed}”: try part of a name or of a page.`;
      active = items.length ? 0 : -1;
      people.activate(input, list, active);
      const count = items.length;
      live.textContent = typed ? `${count} ${count === 1 ? "result" : "results"}` : "";
    }

    function refresh() {
      const typed = input.value.trim();
      render(null);
      if (pending) pending.abort();
      if (!typed) return;
      const asked = new AbortController();
      pending = asked;
      people
        .suggest(typed, { signal: asked.signal })
        .then((found) => { if (pending === asked) render(found); })
        .catch(() => {});
    }

    function go(index) {
      const item = items[index];
      if (!item) return;
      const href = item.place ? item.place.href : `/people/${item.person.id}`;
      dialog.close();
      window.location.assign(href);
    }

    function show() {
      if (dialog.open) return;
      returnTo = document.activeElement;
      input.value = "";
      render(null);
      dialog.showModal();
      input.focus();
    }

    dialog.addEventListener("close", () => {
      if (returnTo && document.contains(returnTo)) returnTo.focus();
      returnTo = null;
    });
    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    opener.addEventListener("click", show);
    input.addEventListener("input", () => {
      clearTimeout(timer);
      if (pending) pending.abort();
      pending = null;
      render(null); // the places at once; people when the server answers
      timer = setTimeout(refresh, 120);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!items.length) return;
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        people.activate(input, list, active);
      } else if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        go(active);
      }
    });
    // The focus stays in the dialog: Tab moves between the field and Close only.
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      event.preventDefault();
      (document.activeElement === input ? close : input).focus();
    });
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const item = event.target.closest("[role=option]");
      if (item) go([...list.children].indexOf(item));
    });
    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        if (dialog.open) dialog.close();
        else show();
      }
    });
  });
})();
