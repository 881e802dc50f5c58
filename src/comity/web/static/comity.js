// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);
  // Searchable picker: hide the options that do not match the filter text.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("picker-filter")) { return; }
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var box = document.getElementById(input.dataset.target);
    box.querySelectorAll("li").forEach(function (item) {
      var text = item.textContent.toLowerCase();
      item.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
  });
})();
