// Search within a transcript page: as the person types or picks a speaker, turns that do not
// match are hidden, matches are marked with <mark>, and the live region says how many turns
// match. Without this script the same form filters on the server (?q=, ?speaker=), and every
// turn is in the page either way, so nothing depends on it. Matching is literal and ignores
// case, like the server's. Text is only ever set as text nodes, never parsed as HTML.
(function () {
  "use strict";
  const form = document.getElementById("transcript-search");
  const list = document.getElementById("transcript-turns");
  const status = document.getElementById("transcript-search-status");
  if (!form || !list || !status) return;
  const query = form.querySelector("[name=q]");
  const speaker = form.querySelector("[name=speaker]");
  const turns = Array.from(list.querySelectorAll(".turn"));
  const texts = turns.map((turn) => turn.querySelector(".turn-text"));
  const originals = texts.map((el) => (el ? el.textContent : ""));
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  let typing = null;
  let announcing = null;

  function escapeRegExp(value) {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function paint(el, text, pattern) {
    if (!el) return false;
    el.replaceChildren();
    if (!pattern) {
      el.append(text);
      return false;
    }
    let cursor = 0;
    let found = false;
    for (const match of text.matchAll(pattern)) {
      if (match.index > cursor) el.append(text.slice(cursor, match.index));
      const mark = document.createElement("mark");
      mark.className = "transcript-hit";
      mark.textContent = match[0];
      el.append(mark);
      cursor = match.index + match[0].length;
      found = true;
    }
    if (cursor < text.length) el.append(text.slice(cursor));
    return found;
  }

  function announce(count, filtered) {
    if (!filtered) {
      status.textContent = "";
      return;
    }
    const template = plural.select(count) === "one" ? status.dataset.one : status.dataset.other;
    status.textContent = template.replace("{n}", String(count));
  }

  function remember(words, who) {
    // Keep the address in step, so reloading or sharing the page keeps the search.
    const url = new URL(window.location.href);
    url.searchParams.delete("q");
    url.searchParams.delete("speaker");
    if (words) url.searchParams.set("q", words);
    if (who) url.searchParams.set("speaker", who);
    window.history.replaceState(null, "", url);
  }

  function apply() {
    const words = query.value.trim().replace(/\s+/g, " ");
    const who = speaker ? speaker.value : "";
    const pattern = words ? new RegExp(escapeRegExp(words), "giu") : null;
    let count = 0;
    turns.forEach((turn, index) => {
      const hit = paint(texts[index], originals[index], pattern);
      const shown = (!who || turn.dataset.speaker === who) && (!pattern || hit);
      turn.hidden = !shown;
      if (shown) count += 1;
    });
    remember(words, who);
    // Announce once the person pauses, not at every key press.
    clearTimeout(announcing);
    announcing = setTimeout(() => announce(count, Boolean(words || who)), 500);
  }

  query.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(apply, 150);
  });
  if (speaker) speaker.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
})();
