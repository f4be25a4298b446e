/* "Me too" on the report page: htmx loads the open public reports near the
   chosen category and point (the fragment's trigger); a "me too" button sends
   the page's #me-too-form to its report's address once the proof of work the
   fragment carries is solved (the same scheme as js/pow.js). */
(function () {
  "use strict";
  var form = document.getElementById("me-too-form");
  if (!form) { return; }
  var encoder = new TextEncoder();

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  async function solve(challenge) {
    for (var n = 0; n <= challenge.maxNumber; n++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n));
      if (hex(digest) === challenge.challenge) {
        return btoa(JSON.stringify({
          algorithm: challenge.algorithm, challenge: challenge.challenge, number: n,
          salt: challenge.salt, signature: challenge.signature
        }));
      }
    }
    return "";
  }

  form.addEventListener("submit", function (event) {
    var source = document.getElementById("me-too-challenge");
    if (!source || !window.crypto || !window.crypto.subtle) { return; }  // sent as is; the server refuses it
    event.preventDefault();
    if (form.dataset.sent) { return; }  // one support per click
    form.dataset.sent = "true";
    // submit() below would forget which button was pressed: keep its address.
    if (event.submitter && event.submitter.formAction) { form.action = event.submitter.formAction; }
    var status = document.getElementById("me-too-status");
    if (status) { status.hidden = false; }
    solve(JSON.parse(source.textContent)).then(function (value) {
      form.querySelector("input[name=pow]").value = value;
      HTMLFormElement.prototype.submit.call(form);
    });
  });
}());
