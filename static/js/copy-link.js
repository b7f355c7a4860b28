// "Copy link" beside a read-only input holding a URL. Without JavaScript the button stays hidden and
// the URL can be selected and copied from the input by hand.
(function () {
  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(input.value); }
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.status);
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(input).then(function () { status.textContent = button.dataset.done; }, function () {
        input.select();
        status.textContent = button.dataset.failed;
      });
    });
  });
})();
