/* 电子版 reader: ← → turn pages, zoom by the buttons or by clicking the page (a
   touch screen also pinches, the browser's own zoom, which the page never blocks). The
   zoomed page scrolls inside its frame: drag with a finger, scroll with a mouse or the
   keyboard. Loaded with defer; no inline scripts (the Content-Security-Policy). */
(function () {
  "use strict";

  var LEVELS = [1, 1.5, 2, 3];
  var stage = document.querySelector("[data-edition-stage]");
  var image = document.querySelector("[data-edition-image]");
  var status = document.querySelector("[data-zoom-status]");
  if (!stage || !image) {
    return;
  }
  var level = 0;

  function zoomTo(next, originX, originY) {
    next = Math.max(0, Math.min(LEVELS.length - 1, next));
    // Keep the point under the pointer (or the middle) where it is.
    var rect = stage.getBoundingClientRect();
    var x = originX === undefined ? rect.width / 2 : originX;
    var y = originY === undefined ? rect.height / 2 : originY;
    var ratio = LEVELS[next] / LEVELS[level];
    var left = (stage.scrollLeft + x) * ratio - x;
    var top = (stage.scrollTop + y) * ratio - y;
    level = next;
    image.style.width = LEVELS[level] * 100 + "%";
    stage.classList.toggle("is-zoomed", level > 0);
    stage.scrollLeft = left;
    stage.scrollTop = top;
    if (status) {
      status.textContent = Math.round(LEVELS[level] * 100) + "%";
    }
  }

  document.querySelectorAll("[data-zoom-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      var step = parseInt(button.getAttribute("data-zoom-step"), 10);
      zoomTo(step === 0 ? 0 : level + step);
    });
  });

  image.addEventListener("click", function (event) {
    var rect = stage.getBoundingClientRect();
    zoomTo(level > 0 ? 0 : 2, event.clientX - rect.left, event.clientY - rect.top);
  });

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event.target)) {
      return;
    }
    // A zoomed page scrolls with the arrow keys while it has the focus.
    if (level > 0 && stage.contains(event.target)) {
      return;
    }
    var link = null;
    if (event.key === "ArrowLeft") {
      link = document.querySelector("[data-edition-prev]");
    } else if (event.key === "ArrowRight") {
      link = document.querySelector("[data-edition-next]");
    }
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
})();
