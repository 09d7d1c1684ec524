// The badge's service worker (served at /me/badge/sw.js, scope /me/badge/).
// Network first, so a changed badge shows at once; the last good copy when offline.
"use strict";

var CACHE = "sanjose-badge-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name.indexOf("sanjose-badge-") === 0 && name !== CACHE; })
          .map(function (name) { return caches.delete(name); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function isBadgePage(request) {
  var url = new URL(request.url);
  return request.mode === "navigate" && url.pathname === new URL(self.registration.scope).pathname;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !isBadgePage(request)) {
    return;
  }
  event.respondWith(
    fetch(request)
      .then(function (response) {
        // Keep only the real page. Sent to sign in means signed out: forget the copy,
        // so a shared phone does not show the last holder's badge offline.
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          if (response.ok && !response.redirected) {
            return cache.put(request, copy);
          }
          if (response.redirected) {
            return cache.delete(request);
          }
          return null;
        });
        return response;
      })
      .catch(function () {
        return caches.match(request).then(function (cached) {
          return cached || Response.error();
        });
      })
  );
});
