/* The short name of an evaluation (its part of the web address), made from the name as it is
   typed, the way the server makes it (evaluations/short_names.py: æ→ae, ø→o, å→a, then Django's
   slugify). It follows the name until the person writes a short name of their own. */
(function () {
  "use strict";

  function shortName(text) {
    var made = (text || "").toLowerCase()
      .replace(/æ/g, "ae").replace(/ø/g, "o").replace(/å/g, "a").replace(/_/g, " ")
      .normalize("NFKD").replace(/[^\x00-\x7f]/g, "")
      .replace(/[^\w\s-]/g, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "");
    return made.slice(0, 80).replace(/-+$/, "");
  }

  function connect(input) {
    var source = input.dataset.shortNameFrom ? document.getElementById(input.dataset.shortNameFrom) : null;
    var follows = source !== null && (input.value === "" || input.value === shortName(source.value));
    if (source) {
      source.addEventListener("input", function () {
        if (follows) { input.value = shortName(source.value); }
      });
    }
    input.addEventListener("input", function () {
      follows = source !== null && input.value === "";
    });
    input.addEventListener("change", function () {
      var tidy = shortName(input.value);
      if (tidy) { input.value = tidy; }
    });
  }

  function start() {
    document.querySelectorAll("input[data-short-name]").forEach(connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
