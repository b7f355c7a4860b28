// "Use my location" on a list's filter form: the browser's position fills the form's hidden lat/lng
// and the form is sent. Without JavaScript or geolocation the button stays hidden; the rest of the
// form (city, sort) works as a plain GET form.
(function () {
  if (!("geolocation" in navigator)) { return; }
  document.querySelectorAll("button[data-near-me]").forEach(function (button) {
    var form = button.form;
    var status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lng.value = position.coords.longitude.toFixed(5);
        form.submit();
      }, function () {
        status.textContent = button.dataset.failed;
      }, { timeout: 15000, maximumAge: 300000 });
    });
  });
})();
