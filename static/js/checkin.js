// Check-in desk: scan a badge's QR code with the camera where the browser can
// (BarcodeDetector), then submit the code form. Typing the code or searching a name
// works without this script.
(function () {
  "use strict";
  var box = document.querySelector("[data-camera]");
  var form = document.querySelector("[data-checkin-form]");
  if (!box || !form) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  if (input) {
    input.focus();
  }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  box.hidden = false;
  var video = box.querySelector("[data-camera-video]");
  var status = box.querySelector("[data-camera-status]");
  var start = box.querySelector("[data-camera-start]");

  function stop(stream) {
    stream.getTracks().forEach(function (track) { track.stop(); });
  }

  function scan(detector, stream) {
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        stop(stream);
        input.value = codes[0].rawValue;
        form.submit();
        return;
      }
      window.requestAnimationFrame(function () { scan(detector, stream); });
    }).catch(function () {
      window.setTimeout(function () { scan(detector, stream); }, 250);
    });
  }

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        return video.play().then(function () {
          status.textContent = start.dataset.scanning || "";
          start.hidden = true;
          scan(detector, stream);
        });
      })
      .catch(function (error) {
        status.textContent = error && error.name === "NotAllowedError"
          ? (start.dataset.denied || "")
          : (start.dataset.unavailable || "");
      });
  });
})();
