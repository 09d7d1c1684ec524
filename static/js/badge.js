// My badge: register the service worker that keeps this page for offline use.
(function () {
  "use strict";
  var card = document.querySelector("[data-badge-worker]");
  if (!card || !("serviceWorker" in navigator)) {
    return;
  }
  navigator.serviceWorker
    .register(card.dataset.badgeWorker, { scope: card.dataset.badgePage })
    .catch(function () {
      // Without a worker the badge still works online; nothing to tell the holder.
    });
})();
