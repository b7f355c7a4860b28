// "N of M characters" under a textarea with data-char-count="M", in the element whose
// data-char-count-for names the textarea's id. The limit is also the textarea's maxlength.
(function () {
  function update(field, out) {
    var max = parseInt(field.getAttribute("data-char-count"), 10);
    out.textContent = field.value.length + " of " + max + " characters";
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSwap", init);
  function init() {
    document.querySelectorAll("[data-char-count-for]").forEach(function (out) {
      var field = document.getElementById(out.getAttribute("data-char-count-for"));
      if (!field || field.dataset.charCountBound) return;
      field.dataset.charCountBound = "1";
      field.addEventListener("input", function () { update(field, out); });
      update(field, out);
    });
  }
})();
