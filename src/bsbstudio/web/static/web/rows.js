/* Tables of editable rows (web/rows_table.html): move rows with buttons or by dragging, remove
   them, and number the hidden ORDER fields in the order shown; new rows come in place through htmx.
   Everything is saved with the page's one Save button. In a theme tree (data-rows-tree) a main
   theme moves together with the sub-themes below it, and a sub-theme moves only under its own
   main theme. Without this script the page works as a plain form. */
(function () {
  "use strict";

  function rowsOf(table) {
    return Array.from(table.tBodies[0].rows).filter(function (row) {
      return row.hasAttribute("data-row");
    });
  }

  function field(row, suffix) {
    return row.querySelector('[name$="-' + suffix + '"]');
  }

  function isTree(table) {
    return table.hasAttribute("data-rows-tree");
  }

  function parentOf(row) {
    var select = field(row, "parent");
    return select ? select.value : "";
  }

  function isMain(table, row) {
    return !isTree(table) || parentOf(row) === "";
  }

  /* What moves together: one row, or a main theme with the sub-themes right below it. */
  function unitOf(table, row) {
    var all = rowsOf(table);
    var unit = [row];
    if (isTree(table) && isMain(table, row)) {
      for (var i = all.indexOf(row) + 1; i < all.length && !isMain(table, all[i]); i++) {
        unit.push(all[i]);
      }
    }
    return unit;
  }

  /* The units a row moves among: every row; in a tree, main themes among main themes and a
     sub-theme among the sub-themes of its block. */
  function siblingsOf(table, row) {
    var all = rowsOf(table);
    if (isMain(table, row)) {
      return all
        .filter(function (other) { return isMain(table, other); })
        .map(function (other) { return unitOf(table, other); });
    }
    var start = all.indexOf(row);
    while (start > 0 && !isMain(table, all[start])) { start--; }
    if (isMain(table, all[start])) { start++; }
    var block = [];
    for (var i = start; i < all.length && !isMain(table, all[i]); i++) { block.push([all[i]]); }
    return block;
  }

  function place(unit, target, after) {
    var body = unit[0].parentNode;
    var before = after ? target[target.length - 1].nextSibling : target[0];
    if (unit.indexOf(before) !== -1) { return; }
    unit.forEach(function (row) { body.insertBefore(row, before); });
  }

  function renumber(table) {
    rowsOf(table).forEach(function (row, index) {
      var order = field(row, "ORDER");
      if (order) { order.value = String(index + 1); }
      if (isTree(table)) { row.classList.toggle("row-sub", !isMain(table, row)); }
    });
  }

  function announce(table, text) {
    var status = document.querySelector('[data-rows-status="' + table.dataset.rows + '"]');
    if (!status) { return; }
    // Emptied first, so that the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function announcePlace(table, row) {
    var units = siblingsOf(table, row);
    var at = units.findIndex(function (unit) { return unit[0] === row; });
    announce(table, table.dataset.moved
      .replace("{position}", String(at + 1))
      .replace("{total}", String(units.length)));
  }

  function move(table, row, step, button) {
    var units = siblingsOf(table, row);
    var at = units.findIndex(function (unit) { return unit[0] === row; });
    var to = at + step;
    if (to < 0 || to >= units.length) {
      announce(table, step < 0 ? table.dataset.atTop : table.dataset.atBottom);
      return;
    }
    place(units[at], units[to], step > 0);
    renumber(table);
    button.focus();  // moving the row in the page may take the focus away from its button
    row.scrollIntoView({ block: "nearest" });
    announcePlace(table, row);
  }

  function remove(table, row, button) {
    if (!row.hasAttribute("data-saved")) {
      // A row never saved: take it away; the form count stays, a missing form counts as blank.
      var rows = rowsOf(table);
      var next = rows[rows.indexOf(row) + 1] || rows[rows.indexOf(row) - 1];
      row.remove();
      renumber(table);
      var focus = next ? next.querySelector("[data-row-remove]") : null;
      (focus || table).focus();
      announce(table, table.dataset.dropped);
      return;
    }
    var removing = !row.classList.contains("row-removed");
    var unit = isMain(table, row) ? unitOf(table, row) : [row];
    unit.forEach(function (each) {
      var box = field(each, "DELETE");
      if (box) { box.checked = removing; }
      each.classList.toggle("row-removed", removing);
      var other = each.querySelector("[data-row-remove]");
      if (other) { other.textContent = removing ? other.dataset.undo : other.dataset.remove; }
    });
    button.focus();
    announce(table, removing ? table.dataset.removed : table.dataset.kept);
  }

  /* A theme given another main theme goes to the end of that theme's block; one made a main
     theme goes to the end of the block it was in. */
  function reparent(table, row) {
    var all = rowsOf(table);
    var chosen = parentOf(row);
    if (chosen) {
      var parent = all.find(function (other) {
        var id = field(other, "id");
        return other !== row && id && id.value === chosen;
      });
      if (parent) {
        var block = unitOf(table, parent).filter(function (each) { return each !== row; });
        place([row], block, true);
      }
    } else {
      var end = all.indexOf(row) + 1;
      while (end < all.length && !isMain(table, all[end])) { end++; }
      if (end - 1 > all.indexOf(row)) { place([row], [all[end - 1]], true); }
    }
    renumber(table);
  }

  /* Drag and drop: a row is draggable only while held by its handle, so text in its fields can
     still be selected with the mouse. */
  function enableDragging(table) {
    var dragged = null;
    var body = table.tBodies[0];
    body.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest("[data-row-handle]");
      if (handle) { handle.closest("tr").draggable = true; }
    });
    body.addEventListener("dragstart", function (event) {
      dragged = event.target.closest && event.target.closest("tr[data-row]");
      if (!dragged) { return; }
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      dragged.classList.add("row-dragging");
    });
    function targetOf(event) {
      var over = event.target.closest && event.target.closest("tr[data-row]");
      if (!dragged || !over) { return null; }
      var units = siblingsOf(table, dragged);
      var target = units.find(function (unit) { return unit.indexOf(over) !== -1; });
      return target && target[0] !== dragged ? { unit: target, over: over } : null;
    }
    body.addEventListener("dragover", function (event) {
      if (targetOf(event)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
      }
    });
    body.addEventListener("drop", function (event) {
      var target = targetOf(event);
      if (!target) { return; }
      event.preventDefault();
      var box = target.over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      place(unitOf(table, dragged), target.unit, after);
      renumber(table);
      announcePlace(table, dragged);
    });
    body.addEventListener("dragend", function () {
      if (dragged) {
        dragged.draggable = false;
        dragged.classList.remove("row-dragging");
      }
      dragged = null;
    });
  }

  /* Rows come back from a failed save in form order; show them in the order they were sent. */
  function sortByOrder(table) {
    var rows = rowsOf(table);
    var keyed = rows.map(function (row, index) {
      var order = field(row, "ORDER");
      var value = order && order.value !== "" ? Number(order.value) : Infinity;
      return { row: row, key: isNaN(value) ? Infinity : value, index: index };
    });
    keyed.sort(function (a, b) { return a.key - b.key || a.index - b.index; });
    keyed.forEach(function (item) { table.tBodies[0].appendChild(item.row); });
  }

  /* A theme tree shows each main theme with its sub-themes right below it, as it will be saved
     (guide/actions.py tree_order), whatever the stored numbers say. */
  function treeSort(table) {
    var all = rowsOf(table);
    var idOf = function (row) { var id = field(row, "id"); return id ? id.value : ""; };
    var known = all.map(idOf).filter(Boolean);
    var ordered = [];
    function walk(row) {
      if (ordered.indexOf(row) !== -1) { return; }
      ordered.push(row);
      var id = idOf(row);
      if (id) { all.forEach(function (other) { if (parentOf(other) === id) { walk(other); } }); }
    }
    all.forEach(function (row) {
      if (parentOf(row) === "" || known.indexOf(parentOf(row)) === -1) { walk(row); }
    });
    all.forEach(function (row) { if (ordered.indexOf(row) === -1) { ordered.push(row); } });
    ordered.forEach(function (row) { table.tBodies[0].appendChild(row); });
  }

  function showScriptParts(root) {
    root.querySelectorAll(".rows-script").forEach(function (part) { part.hidden = false; });
    root.querySelectorAll(".rows-no-script").forEach(function (part) { part.hidden = true; });
  }

  function enhance(table) {
    sortByOrder(table);
    if (isTree(table)) { treeSort(table); }
    rowsOf(table).forEach(function (row) {
      var box = field(row, "DELETE");
      if (box && box.checked) {
        row.classList.add("row-removed");
        var button = row.querySelector("[data-row-remove]");
        if (button) { button.textContent = button.dataset.undo; }
      }
    });
    renumber(table);
    showScriptParts(table);
    var add = document.querySelector('[hx-target="#' + table.id + ' tbody"]');
    if (add) { add.closest(".rows-add").hidden = false; }
    table.setAttribute("tabindex", "-1");  // a place for the focus when a new row is taken away
    table.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      var row = button && button.closest("tr[data-row]");
      if (!row) { return; }
      if (button.hasAttribute("data-row-up")) { move(table, row, -1, button); }
      if (button.hasAttribute("data-row-down")) { move(table, row, 1, button); }
      if (button.hasAttribute("data-row-remove")) { remove(table, row, button); }
    });
    if (isTree(table)) {
      table.addEventListener("change", function (event) {
        var row = event.target.closest("tr[data-row]");
        if (row && event.target === field(row, "parent")) { reparent(table, row); }
      });
    }
    enableDragging(table);
  }

  /* A row added by htmx: show its buttons, number it and put the cursor in its first field. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var table = event.detail.target.closest && event.detail.target.closest("table[data-rows]");
    if (!table) { return; }
    var rows = rowsOf(table);
    var row = rows[rows.length - 1];
    if (!row) { return; }
    showScriptParts(row);
    renumber(table);
    var first = row.querySelector("input:not([type=hidden]), textarea, select");
    if (first) { first.focus(); }
    announce(table, table.dataset.added);
  });

  function start() {
    document.querySelectorAll("table[data-rows]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
