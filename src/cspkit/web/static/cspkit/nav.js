// On a phone the main navigation folds behind a "Menu" button. Without JavaScript the
// button stays hidden and the navigation is always shown.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) { return; }
  button.hidden = false;
  document.documentElement.classList.add("has-menu-toggle");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    nav.classList.toggle("open", !open);
  });
}());
