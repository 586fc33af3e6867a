// mutuality: small progressive enhancements; every page works without this file.
// No inline script anywhere (the content security policy forbids it), no other origin.
"use strict";

// Words that make a link an action rather than a place to read: on a phone its cell comes
// first in the row's card.
const ACTION_WORDS = /^(unlog|check in|log|edit|forget|remove|delete|undo|snooze|thank|adopt|set aside|open|answer|decide|accept|decline|propose|share|unshare|mark done|done|keep|drop)\b/i;

// The menu button folds the navigation away on narrow screens. Without this script the
// button stays hidden and the navigation stays open.
function foldableMenu() {
  const header = document.querySelector("header.top");
  const button = header && header.querySelector("button.menu");
  const panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) return;
  header.classList.add("foldable");
  button.hidden = false;
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("open", open);
    if (open) {
      const first = panel.querySelector("a, button");
      if (first) first.focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("open")) {
      header.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
}

// Data tables become stacked cards on phones (app.css): each cell is labelled with its
// column's heading, and the cells holding an action are marked so that they come first.
function stackTables(root) {
  root.querySelectorAll("table").forEach((table) => {
    if (table.closest("svg")) return;
    const headings = [];
    table.querySelectorAll("thead tr:last-child th, thead tr:last-child td").forEach((th) => {
      const span = Math.max(1, th.colSpan || 1);
      for (let i = 0; i < span; i += 1) headings.push(th.textContent.trim());
    });
    table.querySelectorAll("tbody tr").forEach((row) => {
      let column = 0;
      Array.from(row.cells).forEach((cell) => {
        const label = headings[column] || "";
        column += Math.max(1, cell.colSpan || 1);
        if (label && !cell.hasAttribute("data-label") && cell.colSpan <= 1) {
          cell.setAttribute("data-label", label);
        }
        if (!cell.textContent.trim() && !cell.querySelector("img, svg, input, select, button")) {
          cell.classList.add("blank");
        } else if (isAction(cell)) {
          cell.classList.add("acts");
        } else if (cell.getAttribute("data-label") && !cell.querySelector(":scope > .cell-value")) {
          // One box for the value, beside its label however many lines either takes.
          const value = document.createElement("span");
          value.className = "cell-value";
          value.append(...cell.childNodes);
          cell.append(value);
        }
      });
    });
    table.classList.add("stacked");
  });
}

function isAction(cell) {
  if (cell.querySelector("button, form, input:not([type=hidden]), select")) return true;
  const links = cell.querySelectorAll("a");
  if (links.length === 0) return false;
  return Array.from(links).every((link) =>
    link.classList.contains("button") || ACTION_WORDS.test(link.textContent.trim()));
}

// A form error the page tied to a field (error_box's data-field): the control is marked
// invalid, described by the message, and focused, so that the person lands where to fix it.
function tieErrors() {
  let first = null;
  document.querySelectorAll(".error[data-field]").forEach((box, index) => {
    const field = box.dataset.field;
    if (!field) return;
    if (!box.id) box.id = "error-" + (index + 1);
    const control = findControl(box, field);
    if (!control) return;
    control.setAttribute("aria-invalid", "true");
    const described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!described.includes(box.id)) described.push(box.id);
    control.setAttribute("aria-describedby", described.join(" "));
    if (!first) first = control;
  });
  if (first) first.focus();
}

function findControl(box, field) {
  const names = [field, field.replace(/[ .-]+/g, "_"), field.split(".").pop()];
  const scopes = [];
  let next = box.nextElementSibling;
  while (next && next.tagName !== "FORM" && !next.querySelector("form")) next = next.nextElementSibling;
  if (next) scopes.push(next);
  if (box.closest("form")) scopes.push(box.closest("form"));
  if (box.parentElement) scopes.push(box.parentElement);
  scopes.push(document);
  for (const scope of scopes) {
    for (const name of names) {
      const found = scope.querySelector(
        `[name="${CSS.escape(name)}"]:not([type=hidden]), #${CSS.escape(name)}`);
      if (found) return found;
    }
  }
  return null;
}

// Live search on the people list: fetch the same page and swap its results in; a polite
// live region says how many matched, so that a screen reader hears the change.
function liveSearch() {
  const form = document.querySelector("form[data-live]");
  if (!form) return;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.id = form.dataset.live + "-status";
  form.after(status);
  const results = document.getElementById(form.dataset.live);
  if (results) results.setAttribute("aria-describedby", status.id);
  let timer = null;
  let latest = 0;
  const refresh = () => {
    const params = new URLSearchParams(new FormData(form));
    const url = form.action + "?" + params.toString();
    const ticket = ++latest;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then((response) => response.ok ? response.text() : Promise.reject(response.status))
      .then((html) => {
        if (ticket !== latest) return;
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.getElementById(form.dataset.live);
        const current = document.getElementById(form.dataset.live);
        if (fresh && current) {
          const imported = document.importNode(fresh, true);
          stackTables(imported);
          current.replaceChildren(...imported.childNodes);
          const summary = current.querySelector("p");
          status.textContent = summary ? summary.textContent.trim() : "Results updated";
          history.replaceState(null, "", url);
        }
      })
      .catch(() => {});
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 180);
  });
  form.addEventListener("change", () => { clearTimeout(timer); refresh(); });
}

document.addEventListener("DOMContentLoaded", () => {
  foldableMenu();
  stackTables(document);
  liveSearch();
  tieErrors();

  // Confirm before an irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((each) => {
    each.addEventListener("submit", (event) => {
      if (!window.confirm(each.dataset.confirm)) event.preventDefault();
    });
  });

  // Keys: "/" searches people, "l" logs an exchange (when not typing), for the signed-in
  // owner only: a page without the menu (sign in, the private check-in page) has none.
  if (!document.querySelector("header.top nav")) return;
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") {
      const search = document.getElementById("people-search");
      event.preventDefault();
      if (search) search.focus(); else window.location.href = "/people";
    } else if (event.key === "l") {
      window.location.href = "/log";
    }
  });
});
