// Sign-in security: once django-otp-webauthn's script has added a passkey,
// show the page again so that it is listed (and recovery codes offered).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
