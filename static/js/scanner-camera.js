/* The scanner's camera: the rear camera preferred, frames decoded with jsQR (from npm, served
   from static/vendor/) about 12 times a second.

   window.ScannerCamera(options) -> {start() -> Promise, stop(), running()}
   options: video (element), onCode(text) -> Promise (no frame is read until it settles),
   paused() -> true while nothing should be read (an undo form is open). Emits
   "scanner:decoded" on document with the performance.now() time of each read. */
(function () {
  "use strict";
  var DECODE_EVERY_MS = 80;
  var LARGEST = 640; // frames are scaled down to this width before decoding

  window.ScannerCamera = function (options) {
    var video = options.video;
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", {willReadFrequently: true});
    var stream = null;
    var busy = false;
    var lastRead = 0;

    function read() {
      if (!stream) {
        return;
      }
      requestAnimationFrame(read);
      var now = performance.now();
      if (busy || options.paused() || now - lastRead < DECODE_EVERY_MS || video.readyState < 2
          || !video.videoWidth) {
        return;
      }
      lastRead = now;
      var scale = Math.min(1, LARGEST / video.videoWidth);
      var width = Math.round(video.videoWidth * scale);
      var height = Math.round(video.videoHeight * scale);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height,
        {inversionAttempts: "dontInvert"});
      if (found && found.data) {
        document.dispatchEvent(new CustomEvent("scanner:decoded",
          {detail: {code: found.data, at: performance.now()}}));
        busy = true;
        options.onCode(found.data).then(function () { busy = false; }, function () {
          busy = false;
        });
      }
    }

    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
        return Promise.reject(new Error("—"));
      }
      return navigator.mediaDevices.getUserMedia({audio: false, video: {
        facingMode: {ideal: "environment"}, width: {ideal: 1280}, height: {ideal: 720}}})
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          return video.play();
        }).then(function () {
          requestAnimationFrame(read);
        }, function (error) {
          stop();
          throw error;
        });
    }

    function stop() {
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
      video.srcObject = null;
      video.hidden = true;
    }

    return {start: start, stop: stop, running: function () { return stream !== null; }};
  };
})();
