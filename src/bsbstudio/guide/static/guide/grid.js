// The theme buttons of the grid (move, rename, merge, delete) reload the page, which would drop
// questions typed but not yet saved. Ask the browser to warn before leaving with such changes.
(function () {
  "use strict";
  const grid = document.getElementById("guide-grid");
  if (!grid) {
    return;
  }
  let unsaved = false;
  grid.addEventListener("input", function (event) {
    // Inputs of the theme forms sit inside the grid's table but belong to their own forms.
    if (event.target.form === grid) {
      unsaved = true;
    }
  });
  grid.addEventListener("submit", function () {
    unsaved = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
