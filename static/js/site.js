/* 晋城政协网: the font-size switch, the reading modes and the copy-link button. Loaded in <head> without
   defer so the reader's stored font size applies before the first paint. No inline
   scripts anywhere (the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  var KEY = "jczx-font-size";
  var SIZES = ["normal", "large", "xlarge"];
  var root = document.documentElement;

  function storedSize() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null; // storage disabled: the default size is used
    }
  }

  function applySize(size) {
    if (SIZES.indexOf(size) < 0) {
      size = "normal";
    }
    root.setAttribute("data-font-size", size);
    return size;
  }

  applySize(storedSize());

  function setupFontSize() {
    var buttons = document.querySelectorAll("[data-font-size-choice]");
    if (!buttons.length) {
      return;
    }
    function mark(size) {
      buttons.forEach(function (button) {
        var pressed = button.getAttribute("data-font-size-choice") === size;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }
    mark(root.getAttribute("data-font-size"));
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var size = applySize(button.getAttribute("data-font-size-choice"));
        try {
          window.localStorage.setItem(KEY, size);
        } catch (e) {
          /* storage disabled: the choice lasts for this page only */
        }
        mark(size);
      });
    });
  }

  // 适老化 reading modes, each an attribute on <html> remembered in localStorage and
  // applied here, before the first paint: high contrast and wider line spacing.
  var MODES = { contrast: "high", spacing: "wide" };

  function storedMode(name) {
    try {
      return window.localStorage.getItem("jczx-" + name) === MODES[name];
    } catch (e) {
      return false;
    }
  }

  Object.keys(MODES).forEach(function (name) {
    if (storedMode(name)) {
      root.setAttribute("data-" + name, MODES[name]);
    }
  });

  function setupModes() {
    document.querySelectorAll("[data-mode-toggle]").forEach(function (button) {
      var name = button.getAttribute("data-mode-toggle");
      if (!MODES[name]) {
        return;
      }
      function mark() {
        var on = root.getAttribute("data-" + name) === MODES[name];
        button.setAttribute("aria-pressed", on ? "true" : "false");
        return on;
      }
      mark();
      button.addEventListener("click", function () {
        var on = root.getAttribute("data-" + name) !== MODES[name];
        if (on) {
          root.setAttribute("data-" + name, MODES[name]);
        } else {
          root.removeAttribute("data-" + name);
        }
        try {
          if (on) {
            window.localStorage.setItem("jczx-" + name, MODES[name]);
          } else {
            window.localStorage.removeItem("jczx-" + name);
          }
        } catch (e) {
          /* storage disabled: the mode lasts for this page only */
        }
        mark();
      });
    });
  }

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (e) {
      done = false;
    }
    document.body.removeChild(field);
    return done;
  }

  function setupCopyLink() {
    document.querySelectorAll("[data-copy-url]").forEach(function (button) {
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      function report(message) {
        if (status) {
          status.textContent = message;
        }
      }
      button.addEventListener("click", function () {
        var url = button.getAttribute("data-copy-url");
        var failed = function () {
          report(copyWithSelection(url) ? "链接已复制。" : "无法自动复制，请手动复制：" + url);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(function () {
            report("链接已复制。");
          }, failed);
        } else {
          failed();
        }
      });
    });
  }

  function setupPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  function reveal() {
    // The tools need JavaScript: they stay hidden for readers without it.
    document.querySelectorAll("[data-needs-js]").forEach(function (element) {
      element.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupFontSize();
    setupModes();
    setupCopyLink();
    setupPrint();
    reveal();
  });
})();
