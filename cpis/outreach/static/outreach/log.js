/* Outreach log form: show the topic only for the kinds that have one
   (lectures and campaigns). Without JavaScript the topic stays visible and
   the server ignores it for other kinds. */
(function () {
  "use strict";
  var form = document.getElementById("outreach-form");
  var topic = document.getElementById("topic-field");
  if (!form || !topic) { return; }
  var kinds = (topic.getAttribute("data-kinds") || "").split(" ");
  function update() {
    var checked = form.querySelector('input[name="kind"]:checked');
    topic.hidden = !(checked && kinds.indexOf(checked.value) >= 0);
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "kind") { update(); }
  });
  update();
}());
