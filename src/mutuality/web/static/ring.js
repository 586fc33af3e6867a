// mutuality: the live Reciprocity Ring page. Without this file the page works by reloading.
// Every few seconds it asks /api/team/rings/<id>/live whether the session moved on (a version
// number); when it did, it reads the page again and brings in new asks and offers, never
// touching a form someone is typing in. Between polls it counts the presenter's time down.
"use strict";

(function () {
  const root = document.getElementById("ring");
  if (!root || !window.fetch || !window.DOMParser) return;
  const ringId = root.dataset.ring;
  let version = Number(root.dataset.version);
  const POLL_MS = 3000;

  const reload = root.querySelector("a.reload");
  if (reload) reload.hidden = true;

  function show(timer, seconds) {
    const s = Math.max(0, seconds);
    timer.dataset.seconds = String(s);
    timer.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    timer.classList.toggle("over", s === 0);
  }

  setInterval(() => {
    document.querySelectorAll(".timer[data-seconds]").forEach((timer) => {
      show(timer, Number(timer.dataset.seconds) - 1);
    });
  }, 1000);

  function swap(fresh) {
    ["count", "presenter"].forEach((name) => {
      const now = document.querySelector('[data-live="' + name + '"]');
      const next = fresh.querySelector('[data-live="' + name + '"]');
      if (now && next) now.innerHTML = next.innerHTML;
    });
    const asks = document.querySelector('[data-live="asks"]');
    const nextAsks = fresh.querySelector('[data-live="asks"]');
    if (!asks || !nextAsks) return;
    nextAsks.querySelectorAll("article.ring-ask").forEach((article) => {
      const here = document.getElementById(article.id);
      if (!here) {
        const empty = asks.querySelector(":scope > p");
        if (empty) empty.remove();
        asks.appendChild(document.importNode(article, true));
        return;
      }
      here.classList.toggle("presenting", article.classList.contains("presenting"));
      const offers = article.querySelector("ul.offers");
      const mine = here.querySelector("ul.offers");
      if (offers && mine) mine.innerHTML = offers.innerHTML;
    });
  }

  async function poll() {
    try {
      const answer = await fetch("/api/team/rings/" + ringId + "/live?since=" + version, {
        headers: { accept: "application/json" },
      });
      if (!answer.ok) return;
      const live = await answer.json();
      const timer = document.querySelector(".timer[data-seconds]");
      if (timer && live.seconds_left !== null) show(timer, live.seconds_left);
      if (!live.changed) return;
      if (live.ring && live.ring.state === "closed") {
        window.location.reload();
        return;
      }
      const page = await fetch("/team/rings/" + ringId);
      if (!page.ok) return;
      const fresh = new DOMParser().parseFromString(await page.text(), "text/html");
      swap(fresh);
      version = live.version;
    } catch (error) {
      // offline for a moment: the next poll tries again
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  setTimeout(poll, POLL_MS);
})();
