/* The staff's menu on a small screen: one disclosure button (aria-expanded,
   aria-controls) folds the site's links away. Without this script the links stay
   open; on a wide screen the stylesheet hides the button and shows the links. */
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-toggle]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  var header = button.closest(".site-header");

  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }

  header.classList.add("has-menu");
  button.hidden = false;
  show(false);
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes an open menu and gives the focus back to its button.
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
}());
