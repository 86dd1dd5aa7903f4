// The transcription editor: keyboard control of the audio, autosave with conflict detection,
// a copy in this browser's storage, the turn list and speech-to-text progress.
// The page works without this script (plain form posts); this only makes it faster to use.
(function () {
  "use strict";
  var root = document.getElementById("editor");
  if (!root) return;
  var audio = document.getElementById("editor-audio");
  var form = document.getElementById("editor-form");
  var area = document.getElementById("editor-textarea");
  var version = document.getElementById("editor-version");
  var status = document.getElementById("editor-save-status");
  var speedLabel = document.getElementById("editor-speed");
  var codes = Array.prototype.map.call(
    document.querySelectorAll("#editor-codes li"), function (li) { return li.dataset.code; });
  var storageKey = root.dataset.storageKey;
  var saved = area.value;
  var saving = false;
  var paused = false; // after a conflict autosave waits for the person to save by hand

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    return "[" + pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60) + "]";
  }
  function insert(text) {
    var start = area.selectionStart, end = area.selectionEnd;
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input"));
  }
  function now() { return audio ? audio.currentTime : 0; }

  // Turns: a line starting with a speaker code, with its first [hh:mm:ss] time.
  var turnLine = /^\s*([A-Za-zÆØÅæøå][\wÆØÅæøå-]{0,11}):/gm;
  var timeRe = /\[(\d{1,2}):(\d{2}):(\d{2})\]/;
  function turns() {
    var text = area.value, found = [], m;
    turnLine.lastIndex = 0;
    while ((m = turnLine.exec(text)) !== null) found.push({ speaker: m[1], offset: m.index, end: m.index + m[0].length });
    found.forEach(function (turn, i) {
      var body = text.slice(turn.end, i + 1 < found.length ? found[i + 1].offset : text.length);
      var t = timeRe.exec(body);
      turn.seconds = t ? (+t[1]) * 3600 + (+t[2]) * 60 + (+t[3]) : null;
      turn.preview = body.replace(timeRe, "").trim().slice(0, 80);
    });
    return found;
  }
  var list = document.getElementById("editor-turns");
  function goTo(offset, seconds, play) {
    area.focus();
    area.setSelectionRange(offset, offset);
    if (audio && seconds !== null && seconds !== "" && seconds !== undefined) {
      audio.currentTime = +seconds;
      if (play) audio.play();
    }
  }
  function renderTurns() {
    var items = turns();
    if (!items.length) return;
    list.textContent = "";
    items.forEach(function (turn) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-link";
      button.textContent = turn.speaker + (turn.seconds !== null ? " · " + stamp(turn.seconds) : "");
      button.dataset.offset = turn.offset;
      button.dataset.seconds = turn.seconds === null ? "" : turn.seconds;
      li.appendChild(button);
      li.appendChild(document.createTextNode(" " + turn.preview));
      list.appendChild(li);
    });
  }
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-offset]");
    if (button) goTo(+button.dataset.offset, button.dataset.seconds, true);
  });

  function moveTurn(step) {
    var items = turns(), pos = area.selectionStart, target = null;
    if (step > 0) target = items.filter(function (t) { return t.offset > pos; })[0];
    else target = items.filter(function (t) { return t.offset < pos; }).slice(-1)[0];
    if (target) goTo(target.offset, target.seconds, false);
  }

  function setSpeed(delta) {
    if (!audio) return;
    var rate = Math.min(2, Math.max(0.5, Math.round((audio.playbackRate + delta) * 4) / 4));
    audio.playbackRate = rate;
    if (speedLabel) speedLabel.textContent = speedLabel.textContent.split(":")[0] + ": " + rate + "×";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && audio) {
      event.preventDefault();
      if (audio.paused) audio.play(); else audio.pause();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var handled = true;
    if (event.key === "ArrowLeft") { if (audio) audio.currentTime = Math.max(0, audio.currentTime - 5); }
    else if (event.key === "ArrowRight") { if (audio) audio.currentTime = audio.currentTime + 5; }
    else if (event.key === "ArrowDown") setSpeed(-0.25);
    else if (event.key === "ArrowUp") setSpeed(0.25);
    else if (event.code === "KeyT") insert(stamp(now()) + " ");
    else if (event.code === "KeyN") moveTurn(1);
    else if (event.code === "KeyP") moveTurn(-1);
    else if (/^Digit[1-9]$/.test(event.code) && codes[+event.code.slice(5) - 1]) {
      var before = area.value.slice(0, area.selectionStart);
      var lead = before === "" || before.slice(-1) === "\n" ? "" : "\n";
      insert(lead + codes[+event.code.slice(5) - 1] + ": " + stamp(now()) + " ");
    } else handled = false;
    if (handled) event.preventDefault();
  });

  // A copy of unsaved typing in this browser, so a closed tab loses nothing.
  function keepCopy() {
    try { localStorage.setItem(storageKey, JSON.stringify({ text: area.value, version: version.value })); } catch (e) { /* storage full or off */ }
  }
  function dropCopy() { try { localStorage.removeItem(storageKey); } catch (e) { /* off */ } }
  (function offerRestore() {
    var copy = null;
    try { copy = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { copy = null; }
    if (!copy || copy.text === area.value) { dropCopy(); return; }
    var note = document.createElement("div");
    note.className = "message message-warning";
    note.id = "editor-restore";
    note.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = root.dataset.restoreText;
    var yes = document.createElement("button");
    yes.type = "button"; yes.className = "button"; yes.id = "editor-restore-yes";
    yes.textContent = root.dataset.restoreYes || "OK";
    var no = document.createElement("button");
    no.type = "button"; no.className = "button"; no.id = "editor-restore-no";
    no.textContent = root.dataset.restoreNo || "×";
    note.appendChild(p); note.appendChild(yes); note.appendChild(no);
    form.parentNode.insertBefore(note, form);
    yes.addEventListener("click", function () { area.value = copy.text; area.dispatchEvent(new Event("input")); note.remove(); });
    no.addEventListener("click", function () { dropCopy(); note.remove(); });
  })();

  function showConflict(data) {
    paused = true;
    version.value = data.version;
    status.textContent = root.dataset.conflictText;
    var box = document.getElementById("editor-theirs");
    if (!box) {
      var section = document.createElement("section");
      section.className = "message message-error";
      section.setAttribute("role", "alert");
      var label = document.createElement("label");
      label.setAttribute("for", "editor-theirs");
      label.textContent = root.dataset.theirsLabel || "";
      box = document.createElement("textarea");
      box.id = "editor-theirs"; box.rows = 8; box.readOnly = true;
      var p = document.createElement("p");
      p.textContent = root.dataset.conflictText;
      section.appendChild(p); section.appendChild(label); section.appendChild(box);
      form.parentNode.insertBefore(section, form.nextSibling);
    }
    box.value = data.theirs;
  }

  function save(keepalive) {
    if (saving || paused || area.value === saved) return;
    saving = true;
    var text = area.value;
    status.textContent = root.dataset.savingText;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      keepalive: !!keepalive,
    }).then(function (response) {
      return response.json().then(function (data) { return { code: response.status, data: data }; });
    }).then(function (result) {
      if (result.code === 200) {
        version.value = result.data.version;
        saved = text;
        if (area.value === saved) dropCopy();
        status.textContent = root.dataset.savedText + " (" + result.data.version + ")";
      } else if (result.code === 409) {
        showConflict(result.data);
      } else {
        status.textContent = root.dataset.offlineText;
      }
    }).catch(function () {
      status.textContent = root.dataset.offlineText;
    }).then(function () { saving = false; });
  }
  area.addEventListener("input", function () { keepCopy(); renderTurns(); });
  setInterval(save, 4000);
  document.addEventListener("visibilitychange", function () { if (document.hidden) save(true); });
  window.addEventListener("pagehide", function () { save(true); });
  form.addEventListener("submit", function () { paused = true; dropCopy(); });

  // Speech-to-text progress.
  var statusUrl = root.dataset.statusUrl;
  if (statusUrl) {
    var bar = document.getElementById("speech-progress");
    var state = document.getElementById("speech-state");
    var message = document.getElementById("speech-message");
    var timer = setInterval(function () {
      fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (run) {
          bar.value = run.percent;
          bar.textContent = run.percent + " %";
          state.textContent = run.label + ": " + run.done + " / " + run.total + " s";
          if (run.message) { message.textContent = run.message; message.hidden = false; }
          if (run.finished) {
            clearInterval(timer);
            if (area.value === saved) window.location.reload();
          }
        }).catch(function () { /* try again at the next tick */ });
    }, 2000);
  }
  var cancelForm = document.getElementById("speech-cancel-form");
  if (cancelForm) cancelForm.addEventListener("submit", function () { save(true); });
})();
