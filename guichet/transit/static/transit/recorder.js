// Optional trace recorder (progressive enhancement): reads navigator.geolocation every few
// seconds and writes the points as a GeoJSON LineString with "coordTimes" into the hidden
// "recorded" field of the upload form; the server parses it like any uploaded trace.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("transit-recorder");
    if (!box) return;
    var status = document.getElementById("transit-recorder-status");
    if (!("geolocation" in navigator)) {
      box.hidden = false;
      status.textContent = box.dataset.msgUnavailable;
      return;
    }
    box.hidden = false;
    var start = document.getElementById("transit-recorder-start");
    var stop = document.getElementById("transit-recorder-stop");
    var send = document.getElementById("transit-recorder-send");
    var field = document.querySelector("#transit-recorder-form input[name=recorded]");
    var every = 1000 * (parseInt(box.dataset.interval, 10) || 5);
    var coords = [], times = [], timer = null;

    function write() {
      field.value = JSON.stringify({
        type: "Feature",
        geometry: { type: "LineString", coordinates: coords },
        properties: { coordTimes: times }
      });
      status.textContent = coords.length + " " + box.dataset.msgPoints;
      send.disabled = coords.length < 2;
    }
    function sample() {
      navigator.geolocation.getCurrentPosition(function (pos) {
        coords.push([pos.coords.longitude, pos.coords.latitude]);
        times.push(new Date(pos.timestamp).toISOString());
        write();
      }, function (err) {
        if (err.code === err.PERMISSION_DENIED) {
          status.textContent = box.dataset.msgDenied;
          clearInterval(timer);
        }
      }, { enableHighAccuracy: true, maximumAge: 0, timeout: every });
    }
    start.addEventListener("click", function () {
      coords = []; times = [];
      sample();
      timer = setInterval(sample, every);
      start.disabled = true; stop.disabled = false;
    });
    stop.addEventListener("click", function () {
      clearInterval(timer);
      start.disabled = false; stop.disabled = true;
      write();
    });
  });
})();
