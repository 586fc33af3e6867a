// mutuality: small progressive enhancements; every page works without this file.
// No inline script anywhere (the content security policy forbids it), no other origin.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Live search on the people list: fetch the same page and swap its results in.
  const form = document.querySelector("form[data-live]");
  if (form) {
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
            current.replaceWith(document.importNode(fresh, true));
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

  // Confirm before an irreversible action.
  document.querySelectorAll("form[data-confirm]").forEach((each) => {
    each.addEventListener("submit", (event) => {
      if (!window.confirm(each.dataset.confirm)) event.preventDefault();
    });
  });

  // Keys: "/" searches people, "l" logs an exchange (when not typing).
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
