// "Is it ASB?" progressive enhancement: show the answer as soon as an option is chosen.
// Without JavaScript the form submits and the server shows the same answer.
(function () {
  "use strict";
  var form = document.getElementById("triage");
  var region = document.getElementById("answer");
  var answers = document.getElementById("answers");
  if (!form || !region || !answers) { return; }
  function show(slug) {
    var source = answers.querySelector('[data-behaviour="' + slug + '"]');
    if (!source) { return; }
    region.innerHTML = "";
    var copy = source.cloneNode(true);
    region.appendChild(copy);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "?behaviour=" + encodeURIComponent(slug) + "#answer");
    }
  }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.name === "behaviour") { show(target.value); }
  });
  form.addEventListener("submit", function (event) {
    var checked = form.querySelector('input[name="behaviour"]:checked');
    if (checked) {
      event.preventDefault();
      show(checked.value);
      region.setAttribute("tabindex", "-1");
      region.focus();
    }
  });
}());
