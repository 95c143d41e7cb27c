// The run form shows the pace back as the distance and time are typed (the server works it out again).
(function () {
  "use strict";
  var form = document.querySelector("form.run-log-form");
  if (!form) { return; }
  var unit = form.getAttribute("data-unit") || "km";
  var distance = form.querySelector("[name=distance]");
  var duration = form.querySelector("[name=duration]");
  var out = document.getElementById("pace-preview");
  function seconds(text) {
    var parts = text.trim().split(/[:.,\s]+/);
    if (!parts.length || parts.length > 3 || parts.some(function (p) { return !/^\d+$/.test(p); })) { return null; }
    var n = parts.map(Number);
    if (n.length === 1) { return n[0] * 60; }
    if (n.length === 2) { return n[0] * 60 + n[1]; }
    return n[0] * 3600 + n[1] * 60 + n[2];
  }
  function show() {
    var d = parseFloat((distance.value || "").replace(",", "."));
    var s = seconds(duration.value || "");
    if (!d || d <= 0 || !s) { out.textContent = ""; return; }
    var pace = Math.round(s / d);
    var m = Math.floor(pace / 60), r = pace % 60;
    out.textContent = "Pace: " + m + ":" + (r < 10 ? "0" : "") + r + " /" + unit;
  }
  distance.addEventListener("input", show);
  duration.addEventListener("input", show);
  show();
}());
