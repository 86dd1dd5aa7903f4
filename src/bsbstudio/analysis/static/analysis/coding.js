// The code tree: a fold button (shown once this script runs) hides or shows a theme's sub-themes.
(function () {
  "use strict";
  document.querySelectorAll(".code-tree .fold").forEach(function (button) {
    const list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      list.hidden = !open;
    });
  });
})();

// The coding workbench. Selecting text in a de-identified transcript (within or across speaker
// turns) fills the coding form with the quote and its offsets; keyboard shortcuts pick a theme,
// polarity and directness, save, undo, redo and remove (each also a button on the page).
// Offsets are Unicode code points into the stored text (invariant 1), while the browser counts
// UTF-16 units, so lengths are measured with Array.from (one item per code point).
(function () {
  "use strict";
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("coding-form");
  if (!transcript || !form) return;
  const quoteField = form.querySelector("[name=quote]");
  const startField = form.querySelector("[name=start]");
  const endField = form.querySelector("[name=end]");
  const codeField = form.querySelector("[name=code]");
  const message = document.getElementById("selection-message");
  const codePoints = (s) => Array.from(s).length;
  let chosen = null; // the last selection in the transcript: {start, end, quote}

  // A swatch beside the theme list in the chosen theme's colour (the name is in the list).
  if (codeField) {
    const swatch = document.createElement("span");
    swatch.className = "swatch chosen-code";
    swatch.setAttribute("aria-hidden", "true");
    codeField.insertAdjacentElement("afterend", swatch);
    const showColour = function () {
      const option = codeField.options[codeField.selectedIndex];
      swatch.style.backgroundColor = (option && option.dataset.colour) || "";
    };
    codeField.addEventListener("change", showColour);
    showColour();
  }

  function offsetIn(turnText, node, offset) {
    const range = document.createRange();
    range.setStart(turnText, 0);
    range.setEnd(node, offset);
    return Number(turnText.dataset.start) + codePoints(range.toString());
  }

  function elementOf(node) {
    return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  }

  // A boundary on a speaker's label or the margin counts as the start of that turn's words (for
  // the start of a selection) or the end of the turn before (for its end).
  function boundary(node, offset, isEnd) {
    const element = elementOf(node);
    const turnText = element && element.closest(".turn-text");
    if (turnText) return offsetIn(turnText, node, offset);
    const turn = element && element.closest(".turn");
    if (!turn || !transcript.contains(turn)) return null;
    const own = turn.querySelector(".turn-text");
    if (!isEnd) return Number(own.dataset.start);
    const before = turn.previousElementSibling;
    const previous = before && before.querySelector(".turn-text");
    return previous ? Number(previous.dataset.end) : Number(own.dataset.start);
  }

  // The selection as the page shows it: plain within one turn, "I: … / D1: …" across turns,
  // narrowed to the spoken words (no white space or speaker labels at either end).
  function selected(start, end) {
    const parts = [];
    let first = null;
    let last = null;
    transcript.querySelectorAll(".turn-text").forEach(function (turnText) {
      const from = Number(turnText.dataset.start);
      const to = Number(turnText.dataset.end);
      if (from >= end || to <= start) return;
      const chars = Array.from(turnText.textContent);
      const a = Math.max(start, from);
      const b = Math.min(end, to);
      const raw = chars.slice(a - from, b - from).join("");
      const piece = raw.trim();
      if (!piece) return;
      if (first === null) first = a + codePoints(raw) - codePoints(raw.trimStart());
      last = b - (codePoints(raw) - codePoints(raw.trimEnd()));
      parts.push([turnText.dataset.speaker, piece]);
    });
    if (!parts.length) return null;
    const quote =
      parts.length === 1 ? parts[0][1] : parts.map((p) => (p[0] ? p[0] + ": " + p[1] : p[1])).join(" / ");
    return { start: first, end: last, quote: quote };
  }

  function say(text) {
    if (message) message.textContent = text;
  }

  function onSelect() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const inStart = transcript.contains(range.startContainer);
    const inEnd = transcript.contains(range.endContainer);
    if (!inStart && !inEnd) return; // a selection elsewhere on the page
    if (!inStart || !inEnd) {
      say(form.dataset.outsideMessage);
      return;
    }
    const start = boundary(range.startContainer, range.startOffset, false);
    const end = boundary(range.endContainer, range.endOffset, true);
    if (start === null || end === null || end <= start) return;
    const found = selected(start, end);
    if (!found) return;
    chosen = found;
    startField.value = found.start;
    endField.value = found.end;
    quoteField.value = found.quote;
    say("");
  }

  document.addEventListener("selectionchange", onSelect);
  quoteField.addEventListener("input", function () {
    startField.value = "";
    endField.value = "";
    chosen = null;
  });

  document.querySelectorAll("[data-use-selection]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!chosen) {
        say(form.dataset.outsideMessage);
        return;
      }
      const edit = button.closest("form");
      edit.querySelector("[name=start]").value = chosen.start;
      edit.querySelector("[name=end]").value = chosen.end;
    });
  });

  function check(name, value) {
    const radio = form.querySelector("[name=" + name + "][value=" + value + "]");
    if (radio) radio.checked = true;
  }

  function submit(id) {
    const target = document.getElementById(id);
    if (target) target.requestSubmit();
  }

  const typing = (element) =>
    element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

  document.addEventListener("keydown", function (event) {
    const key = event.key;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") {
      if (typing(document.activeElement)) return; // the field's own undo
      event.preventDefault();
      submit(event.shiftKey ? "redo-form" : "undo-form");
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) return;
    const segment = document.activeElement && document.activeElement.closest("[data-segment]");
    if (key === "Delete" && segment) {
      event.preventDefault();
      segment.querySelector("[data-segment-delete]").requestSubmit();
      return;
    }
    if (/^[1-9]$/.test(key) && codeField) {
      const option = codeField.options[Number(key) - 1];
      if (option) {
        codeField.value = option.value;
        codeField.dispatchEvent(new Event("change"));
        event.preventDefault();
      }
    } else if (key === "p" || key === "P") check("polarity", "positive");
    else if (key === "k" || key === "K") check("polarity", "critical");
    else if (key === "n" || key === "N") check("polarity", "neutral");
    else if (key === "d" || key === "D") check("directness", "direct");
    else if (key === "i" || key === "I") check("directness", "indirect");
    else if (key === "Enter" && chosen && !segment && !/^(A|BUTTON|SUMMARY)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
