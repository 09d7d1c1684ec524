// The site's one service worker, served at /sw.js (scope: the whole site) after its
// configuration, self.SANJOSE_SW, written by sanjose/pwa.py.
//
// Pages: network first; the last good copy when offline, marked so that app.js shows
// "offline — last updated at HH:MM". Kept: the public pages for anyone; /me/, the
// schedule and the badge only for a signed-in viewer; documents the participant chose
// to keep (app.js puts them in the KEPT cache). Every page names its viewer in a header:
// when it changes (sign-out, another person), everything personal is forgotten.
// The Cache API keeps what it is given whatever the page's Cache-Control (no-store
// pages included): that header rules the HTTP cache, not this one.
"use strict";

var CONFIG = self.SANJOSE_SW;
var SHELL = "sanjose-shell-" + CONFIG.version;
var PAGES = "sanjose-pages";
var KEPT = "sanjose-kept";
var META = "sanjose-meta";
var META_KEY = "/__sanjose-viewer__";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(CONFIG.shell.concat([CONFIG.offline])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(isOldCache).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
      // The page that installed the worker was not under it: fetch the personal pages
      // now, so the badge opens offline after this first visit.
      .then(warm)
  );
});

function isOldCache(name) {
  // The former badge-only worker's cache, and earlier versions of the shell.
  return name.indexOf("sanjose-badge-") === 0 || (name.indexOf("sanjose-shell-") === 0 && name !== SHELL);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && url.pathname === CONFIG.logout) {
    event.waitUntil(forget());  // the sign-out itself goes on, untouched
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (CONFIG.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(shellFirst(request));
  } else {
    event.respondWith(networkThenKept(request, url));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "viewer" && typeof data.viewer === "string") {
    event.waitUntil(noteViewer(data.viewer, data.lang || "", true));
  }
});

function navigate(event) {
  var request = event.request;
  return fetch(request).then(
    function (response) {
      event.waitUntil(remember(request.url, response.clone(), true));
      return response;
    },
    function () { return fromCache(request); }
  );
}

function shellFirst(request) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request, response.clone());
        }
        return response;
      });
    });
  });
}

function networkThenKept(request, url) {
  return fetch(request).catch(function () {
    var other = url.pathname.indexOf(CONFIG.staticPrefix) === 0 ? SHELL : KEPT;
    return matchIn([KEPT, other], request).then(function (hit) { return hit || Response.error(); });
  });
}

// --- What is kept, for whom ---------------------------------------------------------------
function keepable(pathname, viewer) {
  if (CONFIG.public.indexOf(pathname) !== -1) {
    return true;
  }
  for (var i = 0; i < CONFIG.publicPatterns.length; i += 1) {
    if (new RegExp(CONFIG.publicPatterns[i]).test(pathname)) {
      return true;
    }
  }
  return viewer !== CONFIG.anonymous && CONFIG.personal.indexOf(pathname) !== -1;
}

function remember(key, response, mayWarm) {
  var viewer = response.headers.get(CONFIG.viewerHeader);
  if (!viewer) {
    return Promise.resolve();  // not one of the site's pages (a file, an error page)
  }
  var lang = response.headers.get("Content-Language") || "";
  return noteViewer(viewer, lang, mayWarm).then(function () {
    var pathname = new URL(response.url || key).pathname;
    if (!response.ok || response.redirected || !keepable(pathname, viewer)) {
      return null;
    }
    return caches.open(PAGES).then(function (cache) { return cache.put(stripHash(key), response); });
  });
}

function noteViewer(viewer, lang, mayWarm) {
  return readMeta().then(function (meta) {
    if (meta.viewer === viewer && meta.lang === lang) {
      return null;
    }
    var changed = meta.viewer !== viewer;
    var cleared = changed ? forgetPersonal() : Promise.resolve();
    return cleared
      .then(function () { return writeMeta({ viewer: viewer, lang: lang }); })
      .then(function () {
        // The offline page in the language now in use.
        return caches.open(SHELL).then(function (cache) { return cache.add(CONFIG.offline); }).catch(function () {});
      })
      .then(function () {
        if (changed && mayWarm && viewer !== CONFIG.anonymous) {
          return warm();
        }
        return null;
      });
  });
}

function warm() {
  return CONFIG.warm.reduce(function (chain, path) {
    return chain.then(function () {
      // Marked as a copy: the server leaves a pending flash message ("saved") for the page
      // the person opens next, instead of spending it on this background fetch.
      return fetch(path, { credentials: "same-origin", headers: { "X-Offline-Copy": "1" } })
        .then(function (response) { return remember(new URL(path, self.location.origin).href, response, false); })
        .catch(function () {});
    });
  }, Promise.resolve());
}

function forgetPersonal() {
  return Promise.all([caches.delete(PAGES), caches.delete(KEPT)]);
}

function forget() {
  return forgetPersonal().then(function () { return writeMeta({ viewer: CONFIG.anonymous, lang: "" }); });
}

function readMeta() {
  return caches.open(META)
    .then(function (cache) { return cache.match(META_KEY); })
    .then(function (hit) { return hit ? hit.json() : {}; })
    .catch(function () { return {}; });
}

function writeMeta(meta) {
  return caches.open(META).then(function (cache) {
    return cache.put(META_KEY, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
  });
}

// --- Offline ------------------------------------------------------------------------------
function fromCache(request) {
  return matchIn([PAGES, KEPT], request).then(function (hit) {
    if (hit) {
      return markOffline(hit);
    }
    return caches.open(SHELL)
      .then(function (cache) { return cache.match(CONFIG.offline); })
      .then(function (page) { return page || Response.error(); });
  });
}

function matchIn(names, request) {
  return names.reduce(function (found, name) {
    return found.then(function (hit) {
      if (hit) {
        return hit;
      }
      return caches.open(name).then(function (cache) {
        return cache.match(stripHash(request.url), { ignoreVary: true });
      });
    });
  }, Promise.resolve(undefined));
}

function markOffline(response) {
  var type = response.headers.get("Content-Type") || "";
  if (type.indexOf("text/html") !== 0) {
    return response;  // a kept file: as it is
  }
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");
    return new Response(html.replace("<html ", '<html data-offline="true" '), {
      status: response.status,
      statusText: response.statusText,
      headers: headers
    });
  });
}

function stripHash(href) {
  var url = new URL(href);
  url.hash = "";
  return url.href;
}
