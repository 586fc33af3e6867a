// mutuality: the person picker. Every field where a person's name is typed (marked
// data-person-picker) shows, as you type, the people the name matches (initials, name and
// organisation) and whom the form will match when saved: the server answers by the same
// rule it follows on saving (/api/people/suggest). Choosing a person fills in their exact
// name, which names one person only (no two people share a name); "add" creates the person
// at once. Without this file the field is the plain text field it always was.
// The ARIA combobox pattern: role="combobox", aria-expanded, aria-activedescendant, a
// listbox of options, and the outcome announced through a live region.
// No inline script or style (the content security policy forbids them), no other origin.
"use strict";

const MutualityPeople = (() => {
  const TONES = 6;
  let made = 0;

  /** A fresh id for an element this script adds. */
  function freshId(prefix) {
    made += 1;
    return `${prefix}-${made}`;
  }

  /** What the server would do with `text` if the form were saved now. */
  function suggest(text, options = {}) {
    const params = new URLSearchParams({ q: text });
    if (options.me) params.set("me", "true");
    return fetch(`/api/people/suggest?${params}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: options.signal,
    }).then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)));
  }

  /** Add a person by name through the people API; resolves to the person added. */
  function add(name) {
    return fetch("/api/people", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    }).then((answer) =>
      answer.json().then((body) => (answer.ok ? body : Promise.reject(body.message || "not added"))),
    );
  }

  /** A circle with a person's initials, in one of a few tones chosen by the name. */
  function avatar(initials, name) {
    const circle = document.createElement("span");
    let hash = 0;
    for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) % 997;
    circle.className = `picker-avatar tone-${hash % TONES}`;
    circle.setAttribute("aria-hidden", "true");
    circle.textContent = initials;
    return circle;
  }

  /** An option of a listbox: an avatar (or a mark), a main line and a quieter second one. */
  function option(id, main, detail, mark) {
    const item = document.createElement("li");
    item.id = id;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.className = "picker-option";
    item.append(mark);
    const words = document.createElement("span");
    words.className = "picker-words";
    const first = document.createElement("span");
    first.className = "picker-name";
    first.textContent = main;
    words.append(first);
    if (detail) {
      const second = document.createElement("span");
      second.className = "picker-detail";
      second.textContent = detail;
      words.append(second);
    }
    item.append(words);
    return item;
  }

  /** A round mark holding a symbol, for options that are not people. */
  function mark(symbol, kind) {
    const circle = document.createElement("span");
    circle.className = `picker-avatar ${kind}`;
    circle.setAttribute("aria-hidden", "true");
    circle.textContent = symbol;
    return circle;
  }

  /** Comparable text: accents dropped, case folded, spaces collapsed (as names are compared). */
  function key(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  /** Which of `items` is shown as active, kept in step with aria-activedescendant. */
  function activate(input, list, index) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach((each, i) => each.setAttribute("aria-selected", String(i === index)));
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  return { freshId, suggest, add, avatar, option, mark, key, activate };
})();

(() => {
  const people = MutualityPeople;

  /** The one polite live region that announces what the picker found. */
  function announcer() {
    let region = document.getElementById("picker-announce");
    if (!region) {
      region = document.createElement("div");
      region.id = "picker-announce";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    return region;
  }

  function picker(input) {
    const meToo = input.dataset.personPicker === "me";
    const list = document.createElement("ul");
    const panel = document.createElement("div");
    const verdict = document.createElement("span");
    const live = announcer();
    let items = [];
    let active = -1;
    let timer = null;
    let pending = null;
    let lastText = null;

    list.id = people.freshId("picker-list");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People the name matches");
    panel.className = "picker-panel";
    panel.hidden = true;
    panel.append(list);
    document.body.append(panel);
    verdict.id = people.freshId("picker-verdict");
    verdict.className = "picker-verdict";
    verdict.hidden = true;
    // Visible for the eye; a screen reader hears it as the field's description and
    // through the live region, not as part of the label that wraps the field.
    verdict.setAttribute("aria-hidden", "true");
    input.after(verdict);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-describedby", verdict.id);
    input.setAttribute("autocomplete", "off");

    function place() {
      const box = input.getBoundingClientRect();
      const below = verdict.hidden ? box.bottom : verdict.getBoundingClientRect().bottom;
      const width = Math.min(Math.max(box.width, 280), document.documentElement.clientWidth - 16);
      const left = Math.min(box.left, document.documentElement.clientWidth - width - 8);
      panel.style.top = `${below + window.scrollY + 4}px`;
      panel.style.left = `${Math.max(8, left) + window.scrollX}px`;
      panel.style.width = `${width}px`;
    }

    function open(show) {
      const visible = show && items.length > 0;
      panel.hidden = !visible;
      input.setAttribute("aria-expanded", String(visible));
      if (visible) place();
      else {
        active = -1;
        people.activate(input, list, -1);
      }
    }

    function say(message, tone) {
      verdict.textContent = message;
      verdict.hidden = !message;
      verdict.className = `picker-verdict ${tone || ""}`.trim();
    }

    function show(found) {
      items = [];
      list.replaceChildren();
      const typed = found.query;
      if (found.verdict === "you") {
        items.push({ kind: "you", name: typed });
        list.append(people.option(people.freshId("picker-option"), "You", "yourself", people.mark("★", "you")));
      }
      for (const person of found.people) {
        items.push({ kind: "person", person });
        list.append(
          people.option(
            people.freshId("picker-option"),
            person.name,
            person.organisation || "",
            people.avatar(person.initials, person.name),
          ),
        );
      }
      const exact = found.people.some((p) => people.key(p.name) === people.key(typed));
      if (typed && found.verdict !== "you" && !exact) {
        items.push({ kind: "add", name: typed });
        list.append(
          people.option(people.freshId("picker-option"), `Add ${typed}`, "as a new person", people.mark("+", "add")),
        );
      }
      const tone = { one: "match", several: "choose", none: "new", you: "match" }[found.verdict];
      say(found.message, tone);
      const count = found.people.length;
      live.textContent = found.message
        ? `${found.message}.${count > 1 ? ` ${count} suggestions: use the arrow keys to choose.` : ""}`
        : "";
      active = -1;
    }

    function lookUp(andOpen) {
      const text = input.value.trim();
      if (text === lastText && !andOpen) return;
      lastText = text;
      if (pending) pending.abort();
      if (!text) {
        items = [];
        list.replaceChildren();
        say("");
        open(false);
        return;
      }
      const asked = new AbortController();
      pending = asked;
      people
        .suggest(text, { me: meToo, signal: asked.signal })
        .then((found) => {
          if (pending !== asked) return; // a later question is on its way
          show(found);
          open(andOpen && document.activeElement === input);
        })
        .catch(() => {});
    }

    function choose(index) {
      const item = items[index];
      if (!item) return;
      if (item.kind === "person") {
        input.value = item.person.name;
        const at = item.person.organisation ? ` (${item.person.organisation})` : "";
        say(`Will match: ${item.person.name}${at}`, "match");
        live.textContent = `Chosen: ${item.person.name}${at}.`;
      } else if (item.kind === "you") {
        input.value = item.name;
        say("Will match: you", "match");
        live.textContent = "Chosen: you.";
      } else {
        say(`Adding ${item.name}…`, "new");
        people
          .add(item.name)
          .then((person) => {
            input.value = person.name;
            lastText = person.name;
            say(`Added ${person.name}: the form will match them`, "match");
            live.textContent = `Added ${person.name} as a new person.`;
          })
          .catch((message) => {
            say(`Not added: ${message}`, "problem");
            live.textContent = `Not added: ${message}`;
          });
      }
      lastText = input.value.trim();
      open(false);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      if (pending) pending.abort(); // the answer to what was typed before is no use now
      pending = null;
      timer = setTimeout(() => lookUp(true), 120);
    });
    input.addEventListener("keydown", (event) => {
      const expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) {
          if (items.length) open(true);
          else lookUp(true);
          return;
        }
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + items.length + 1) % (items.length + 1);
        if (active === items.length) active = -1; // past either end: back to the text
        people.activate(input, list, active);
      } else if (event.key === "Enter" && expanded && active >= 0 && !event.isComposing) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && expanded) {
        event.preventDefault();
        event.stopPropagation();
        open(false);
      } else if (event.key === "Tab" && expanded) {
        open(false);
      }
    });
    input.addEventListener("blur", () => setTimeout(() => {
      if (document.activeElement !== input) open(false);
    }, 150));
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
    list.addEventListener("click", (event) => {
      const item = event.target.closest("[role=option]");
      if (item) choose([...list.children].indexOf(item));
      input.focus();
    });
    window.addEventListener("resize", () => { if (!panel.hidden) place(); });
    if (input.value.trim()) lookUp(false); // a name already there: say whom it matches
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-person-picker]").forEach(picker);
  });
})();
