// "Is it ASB?" progressive enhancement: the answer appears right below the option chosen,
// in a live region so screen readers announce it. Without JavaScript the form submits and
// the server shows the same answer in the same place.
(function () {
  "use strict";
  var form = document.getElementById("triage");
  var region = document.getElementById("answer");
  var answers = document.getElementById("answers");
  if (!form || !region || !answers) { return; }
  function show(slug) {
    var source = answers.querySelector('[data-behaviour="' + slug + '"]');
    var input = document.getElementById("b-" + slug);
    if (!source || !input) { return; }
    var option = input.closest(".radio");
    if (option && option.nextSibling !== region) {
      option.parentNode.insertBefore(region, option.nextSibling);
    }
    region.innerHTML = "";
    region.appendChild(source.cloneNode(true));
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
