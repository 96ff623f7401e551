// The home page's camera scan, a progressive enhancement: shown only where
// the browser has the BarcodeDetector API and a camera; the code box works
// without it. Nothing is loaded from elsewhere.
(function () {
  "use strict";
  var box = document.getElementById("scan");
  var start = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var input = document.getElementById("code");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var label = start.textContent;
  var stream = null;
  var timer = null;

  // A label URL of any host gives its code, which opens here: a QR code
  // never sends the visitor to another site.
  function codeOf(text) {
    var m = /\/l\/([0-9A-Za-z-]{21,40})(?:[/?#]|$)/.exec(text);
    return m ? m[1] : null;
  }

  function stop() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    start.textContent = label;
  }

  function found(text) {
    stop();
    var code = codeOf(text);
    var lang = document.documentElement.lang === "en" ? "&lang=en" : "";
    if (code) {
      location.href = "/l?code=" + encodeURIComponent(code) + lang;
      return;
    }
    input.value = text;
    input.focus();
    status.textContent = text;
  }

  BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) { return; }
    var detector = new BarcodeDetector({ formats: ["qr_code"] });
    box.hidden = false;
    start.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.textContent = start.getAttribute("data-stop");
        return video.play();
      }).then(function tick() {
        if (!stream) { return; }
        detector.detect(video).then(function (codes) {
          if (codes.length > 0) { found(codes[0].rawValue); return; }
          timer = setTimeout(tick, 250);
        }, function () { timer = setTimeout(tick, 500); });
      }).catch(function (err) {
        stop();
        status.textContent = err && err.name === "NotAllowedError" ? (document.documentElement.lang === "en" ? "The camera was not allowed: type the code instead." : "未获准使用相机，请直接输入标签码。") : String(err);
      });
    });
  }, function () {});
})();
