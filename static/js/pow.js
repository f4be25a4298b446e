/* Proof of work for anonymous forms: find n with sha256(salt + n) equal to
   the server's challenge, starting as soon as the page loads. Without Web
   Crypto the form is still sent; the server then holds it for a person. */
(function () {
  "use strict";
  var source = document.getElementById("pow-challenge");
  if (!source || !window.crypto || !window.crypto.subtle) { return; }
  var challenge = JSON.parse(source.textContent);
  var encoder = new TextEncoder();

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  async function solve() {
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

  var solution = solve();
  document.querySelectorAll("form[data-pow]").forEach(function (form) {
    var input = form.querySelector("input[name=pow]");
    var sent = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sent) { return; }  // a second click while solving: one submission only
      sent = true;
      var status = form.querySelector("[data-pow-status]");
      if (status) { status.hidden = false; }
      solution.then(function (value) {
        input.value = value;
        // submit() sends the form without firing this handler again.
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  });
}());
