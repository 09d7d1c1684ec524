// On every page: register the site's service worker (static/js/sw.js), show the offline
// note on a page the worker served from its cache, and the "keep offline" buttons.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEPT = "sanjose-kept";

  // --- A page served from the cache: say so, and come back when the network does -------
  if (root.getAttribute("data-offline") === "true") {
    var note = document.querySelector("[data-offline-note]");
    if (note) {
      note.hidden = false;
    }
    // Back online (the browser says so, or a venue network came back without the
    // browser noticing): the page reloads itself from the network.
    var manifest = document.querySelector("link[rel=manifest]");
    var check = function () {
      fetch(manifest ? manifest.href : "/manifest.webmanifest", { cache: "no-store" })
        .then(function (response) { if (response.ok) { window.location.reload(); } })
        .catch(function () {});
    };
    window.addEventListener("online", function () {
      check();
      window.setTimeout(check, 2000);
    });
    window.setInterval(check, 15000);
  }

  if (!("serviceWorker" in navigator)) {
    return;
  }
  var worker = document.body.getAttribute("data-service-worker");
  var viewer = document.body.getAttribute("data-viewer") || "";

  // The former badge-only worker (scope /me/badge/) would keep controlling the badge.
  navigator.serviceWorker.getRegistrations().then(function (registrations) {
    registrations.forEach(function (registration) {
      if (new URL(registration.scope).pathname !== "/") {
        registration.unregister();
      }
    });
  });
  if (worker) {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // Without a worker the site still works online; nothing to tell the visitor.
    });
    // Tell the worker who this page is for: a signed-out page makes it forget, even if
    // it did not see the sign-out (another tab, an expired session).
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "viewer", viewer: viewer, lang: root.lang });
      }
    });
  }

  // --- "Keep offline" on a document: its page, files and previews in the KEPT cache -----
  if (!("caches" in window)) {
    return;
  }
  document.querySelectorAll("[data-keep-offline]").forEach(function (button) {
    var urls = JSON.parse(button.getAttribute("data-keep-offline"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    var show = function (kept) {
      button.setAttribute("aria-pressed", kept ? "true" : "false");
      if (status) {
        status.textContent = button.getAttribute(kept ? "data-kept-text" : "data-not-kept-text");
      }
    };
    var absolute = function (path) { return new URL(path, window.location.href).href; };
    caches.open(KEPT)
      .then(function (cache) { return cache.match(absolute(urls[0]), { ignoreVary: true }); })
      .then(function (hit) { show(Boolean(hit)); button.hidden = false; });
    button.addEventListener("click", function () {
      var keep = button.getAttribute("aria-pressed") !== "true";
      button.disabled = true;
      caches.open(KEPT).then(function (cache) {
        if (!keep) {
          return Promise.all(urls.map(function (url) { return cache.delete(absolute(url), { ignoreVary: true }); }));
        }
        return Promise.all(urls.map(function (url) {
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (!response.ok || response.redirected) {
              throw new Error("not kept");
            }
            return cache.put(absolute(url), response);
          });
        }));
      }).then(
        function () { show(keep); },
        function () {
          show(false);
          if (status) {
            status.textContent = button.getAttribute("data-failed-text");
          }
        }
      ).then(function () { button.disabled = false; });
    });
  });
})();
