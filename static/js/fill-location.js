// "Use my location" on a form with latitude/longitude fields: the browser's position fills them in.
// Without JavaScript or geolocation the button stays hidden and the fields are typed in.
(function () {
  if (!("geolocation" in navigator)) { return; }
  document.querySelectorAll("button[data-fill-location]").forEach(function (button) {
    var status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(function (position) {
        document.getElementById(button.dataset.latitude).value = position.coords.latitude.toFixed(6);
        document.getElementById(button.dataset.longitude).value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.done;
      }, function () {
        status.textContent = button.dataset.failed;
      }, { timeout: 15000, maximumAge: 300000 });
    });
  });
})();
