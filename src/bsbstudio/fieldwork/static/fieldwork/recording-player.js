// Buttons transcribers need beside the browser's own player: jump back or forward five seconds,
// play or pause, and slow the speech down. They are ordinary buttons, so they work with the
// keyboard in every browser; without JavaScript they stay hidden and the player still works.
(function () {
  "use strict";
  const audio = document.getElementById("recording-audio");
  const tools = document.getElementById("recording-tools");
  if (!audio || !tools) return;
  tools.hidden = false;
  tools.querySelectorAll("[data-skip]").forEach(function (button) {
    button.addEventListener("click", function () {
      const target = audio.currentTime + Number(button.dataset.skip);
      audio.currentTime = Math.max(0, isFinite(audio.duration) ? Math.min(target, audio.duration) : target);
    });
  });
  tools.querySelector("[data-toggle]").addEventListener("click", function () {
    if (audio.paused) {
      const playing = audio.play();
      if (playing && playing.catch) playing.catch(function () {});
    } else {
      audio.pause();
    }
  });
  const speed = document.getElementById("recording-speed");
  speed.addEventListener("change", function () {
    audio.playbackRate = Number(speed.value);
  });
})();
