// Review by keyboard: J/N next entity, K/P previous, H hide it, B keep it (Behold).
// The radios and buttons keep working with Tab and Space; these keys only add a faster path, and
// never act while someone types in a text field or holds a modifier key.
(function () {
  "use strict";
  const entities = Array.from(document.querySelectorAll("fieldset.entity"));
  if (!entities.length) {
    return;
  }
  const CURRENT = "review-current";
  const HIDE = ["confirmed", "category"];
  let current = -1;

  function typing(target) {
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    return target.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type);
  }

  function show(index) {
    if (current >= 0) {
      entities[current].classList.remove(CURRENT);
    }
    current = Math.max(0, Math.min(entities.length - 1, index));
    const entity = entities[current];
    entity.classList.add(CURRENT);
    // The checked radio takes the focus, so Enter saves and Tab goes on from here.
    const checked = entity.querySelector("input[type=radio]:checked");
    (checked || entity).focus({ preventScroll: true });
    entity.scrollIntoView({ block: "nearest" });
  }

  function choose(values) {
    if (current < 0) {
      show(0);
    }
    const radio = Array.from(entities[current].querySelectorAll("input[type=radio]")).find(
      (input) => values.includes(input.value)
    );
    if (radio) {
      radio.checked = true;
      radio.focus({ preventScroll: true });
    }
  }

  // The entity a person clicks or tabs into becomes the current one.
  entities.forEach(function (entity, index) {
    entity.addEventListener("focusin", function () {
      if (index !== current) {
        if (current >= 0) {
          entities[current].classList.remove(CURRENT);
        }
        current = index;
        entity.classList.add(CURRENT);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "j" || key === "n") {
      show(current + 1);
    } else if (key === "k" || key === "p") {
      show(current < 0 ? 0 : current - 1);
    } else if (key === "h") {
      choose(HIDE);
    } else if (key === "b") {
      choose(["rejected"]);
    } else {
      return;
    }
    event.preventDefault();
  });
})();
