// Live deadline countdowns for <time data-countdown datetime="...">: the page already shows the
// time left when rendered; this keeps it current while the page stays open.
(function () {
  function format(ms) {
    if (ms <= 0) return "overdue";
    var minutes = Math.floor(ms / 60000), days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days > 0) return days + " day" + (days === 1 ? "" : "s") + ", " + hours + " h left";
    if (hours > 0) return hours + " h " + mins + " min left";
    return mins + " min left";
  }
  function tick() {
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("datetime")) - Date.now();
      var target = el.querySelector("[data-countdown-left]");
      if (target) target.textContent = format(left);
      el.classList.toggle("countdown-overdue", left <= 0);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
})();
