// Selecting text in a de-identified transcript fills the coding form with the quote and its
// offsets. Offsets are Unicode code points into the stored text (invariant 1), while the browser
// counts UTF-16 units, so lengths are measured with Array.from (one item per code point).
(function () {
  "use strict";
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("coding-form");
  if (!transcript || !form) return;
  const quoteField = form.querySelector("[name=quote]");
  const startField = form.querySelector("[name=start]");
  const endField = form.querySelector("[name=end]");
  const codePoints = (s) => Array.from(s).length;

  function offsetIn(turnText, node, offset) {
    const range = document.createRange();
    range.setStart(turnText, 0);
    range.setEnd(node, offset);
    return Number(turnText.dataset.start) + codePoints(range.toString());
  }

  function onSelect() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const startTurn = range.startContainer.parentElement && range.startContainer.parentElement.closest(".turn-text");
    const endTurn = range.endContainer.parentElement && range.endContainer.parentElement.closest(".turn-text");
    if (!startTurn || !endTurn || !transcript.contains(startTurn)) return;
    const start = offsetIn(startTurn, range.startContainer, range.startOffset);
    const end = offsetIn(endTurn, range.endContainer, range.endOffset);
    if (end <= start) return;
    const text = selection.toString();
    const lead = codePoints(text) - codePoints(text.trimStart());
    const trail = codePoints(text) - codePoints(text.trimEnd());
    startField.value = start + lead;
    endField.value = end - trail;
    quoteField.value = text.trim();
  }

  transcript.addEventListener("mouseup", onSelect);
  transcript.addEventListener("keyup", onSelect);
  quoteField.addEventListener("input", function () {
    startField.value = "";
    endField.value = "";
  });
})();
