/* Photos made smaller on the phone before they cross a slow connection. On every <input type="file"
   data-photo-resize="2000">, each chosen photo is decoded, drawn on a canvas at most that many pixels on its long
   side and encoded as a JPEG (data-photo-quality), and the input's files are replaced by the results
   (DataTransfer) before the form is sent. A photo the browser cannot decode, or one already small, is sent as it
   was chosen: the server checks every file the same way, with or without this script, and refuses what it must.
   Texts come from the input: data-photo-busy while working, data-photo-done ({before}, {after}) once done. */
(function () {
  "use strict";

  if (window.oasisPhotoResize) {
    return;
  }
  window.oasisPhotoResize = true;

  // A photo under this size and within the long side is already light enough: re-encoding it gains little.
  var SMALL_BYTES = 1536 * 1024;

  function canResize() {
    return (
      typeof window.createImageBitmap === "function" &&
      typeof window.DataTransfer === "function" &&
      typeof HTMLCanvasElement.prototype.toBlob === "function"
    );
  }

  function megabytes(bytes) {
    if (bytes < 1024 * 1024) {
      return Math.max(1, Math.round(bytes / 1024)) + " KB";
    }
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function jpegName(name) {
    var base = name.replace(/\.[^./\\]*$/, "") || "photo";
    return base + ".jpg";
  }

  // The smaller JPEG of one file, or the file itself when it cannot be or need not be made smaller.
  function shrink(file, maxSide, quality) {
    if (!/^image\//.test(file.type) || file.type === "image/gif") {
      return Promise.resolve(file);
    }
    return window.createImageBitmap(file).then(
      function (bitmap) {
        var longSide = Math.max(bitmap.width, bitmap.height);
        if (longSide <= maxSide && file.size <= SMALL_BYTES) {
          bitmap.close();
          return file;
        }
        var scale = Math.min(1, maxSide / longSide);
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        var context = canvas.getContext("2d");
        // Transparent parts of a PNG or WebP become white, as the server flattens them.
        context.fillStyle = "#fff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        bitmap.close();
        return new Promise(function (resolve) {
          canvas.toBlob(
            function (blob) {
              canvas.width = canvas.height = 0;
              if (!blob || (blob.size >= file.size && scale === 1)) {
                resolve(file);
                return;
              }
              resolve(new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: file.lastModified }));
            },
            "image/jpeg",
            quality
          );
        });
      },
      function () {
        return file; // not a photo this browser can read: the server says what is wrong with it
      }
    );
  }

  function statusFor(input) {
    var id = (input.id || input.name) + "_photo_status";
    var status = document.getElementById(id);
    if (!status) {
      status = document.createElement("small");
      status.id = id;
      status.className = "help photo-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", status);
    }
    return status;
  }

  function prepare(input) {
    var maxSide = parseInt(input.getAttribute("data-photo-resize"), 10) || 2000;
    var quality = parseFloat(input.getAttribute("data-photo-quality")) || 0.85;
    var files = Array.prototype.slice.call(input.files || []);
    var round = (input.oasisPhotoRound || 0) + 1;
    input.oasisPhotoRound = round;
    if (!files.length) {
      input.oasisPhotoWork = null;
      return;
    }
    var status = statusFor(input);
    status.textContent = input.getAttribute("data-photo-busy") || "";
    var before = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    var work = Promise.all(
      files.map(function (file) {
        return shrink(file, maxSide, quality).catch(function () {
          return file;
        });
      })
    ).then(function (results) {
      if (input.oasisPhotoRound !== round) {
        return; // another choice was made meanwhile: that one wins
      }
      input.oasisPhotoWork = null;
      var changed = results.some(function (file, index) { return file !== files[index]; });
      if (changed) {
        var transfer = new DataTransfer();
        results.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;
      }
      var after = results.reduce(function (sum, file) { return sum + file.size; }, 0);
      var done = input.getAttribute("data-photo-done") || "";
      status.textContent = changed
        ? done.replace("{before}", megabytes(before)).replace("{after}", megabytes(after))
        : "";
      input.setAttribute("data-photo-ready", "");
    });
    input.removeAttribute("data-photo-ready");
    input.oasisPhotoWork = work;
  }

  // A form sent while its photos are still being made smaller waits for them, then is sent as the person asked.
  function holdSubmit(event) {
    var form = event.target;
    var inputs = form.querySelectorAll("input[type=file][data-photo-resize]");
    var pending = Array.prototype.map
      .call(inputs, function (input) { return input.oasisPhotoWork; })
      .filter(Boolean);
    if (!pending.length) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    Array.prototype.forEach.call(inputs, function (input) { input.oasisPhotoWork = null; });
    Promise.all(pending).then(function () {
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit(submitter);
      } else {
        form.submit();
      }
    });
  }

  function start() {
    if (!canResize()) {
      return;
    }
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (input.matches && input.matches("input[type=file][data-photo-resize]")) {
        prepare(input);
      }
    });
    document.addEventListener("submit", holdSubmit, true);
  }

  start();
})();
