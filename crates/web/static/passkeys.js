// Passkeys (WebAuthn) on our pages. A form with `data-passkey` ("create", "get" or
// "conditional") asks its `data-options` URL (POST, with the form's CSRF token) for the
// ceremony's options, calls the browser, puts the credential as JSON into the form's
// `credential` field and submits the form. Elements marked `data-needs-js` stay hidden
// without JavaScript or WebAuthn; `data-passkey-error` shows what went wrong.
"use strict";

(function () {
  function toBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(o) {
    o.challenge = toBytes(o.challenge);
    o.user.id = toBytes(o.user.id);
    o.excludeCredentials = (o.excludeCredentials || []).map(function (c) {
      return { type: c.type, id: toBytes(c.id), transports: c.transports };
    });
    return o;
  }

  function requestOptions(o) {
    o.challenge = toBytes(o.challenge);
    o.allowCredentials = (o.allowCredentials || []).map(function (c) {
      return { type: c.type, id: toBytes(c.id), transports: c.transports };
    });
    return o;
  }

  function credentialJson(c) {
    var r = c.response;
    var response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = r.userHandle ? toText(r.userHandle) : null;
    }
    return JSON.stringify({
      id: c.id,
      rawId: toText(c.rawId),
      type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || null,
      response: response,
    });
  }

  function showError(form, key) {
    var box = document.querySelector("[data-passkey-error]");
    if (!box) return;
    box.textContent = box.getAttribute("data-text-" + key) || box.getAttribute("data-text-refused");
    box.className = "error";
    box.setAttribute("role", "alert");
    box.hidden = false;
  }

  function options(form) {
    var body = new URLSearchParams();
    var csrf = form.querySelector("input[name=csrf]");
    if (csrf) body.set("csrf", csrf.value);
    return fetch(form.getAttribute("data-options"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
    }).then(function (res) {
      if (!res.ok) throw new Error(res.status === 429 ? "throttled" : "refused");
      return res.json();
    });
  }

  function submit(form, credential) {
    form.querySelector("input[name=credential]").value = credentialJson(credential);
    form.submit();
  }

  var pending = null;

  function ceremony(form, mode) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    return options(form)
      .then(function (o) {
        if (mode === "create") {
          return navigator.credentials.create({ publicKey: creationOptions(o) });
        }
        var request = { publicKey: requestOptions(o), signal: controller.signal };
        if (mode === "conditional") request.mediation = "conditional";
        return navigator.credentials.get(request);
      })
      .then(function (credential) {
        if (credential) submit(form, credential);
      })
      .catch(function (error) {
        if (controller.signal.aborted) return;
        var key = error && error.message === "throttled" ? "throttled"
          : error && error.name === "NotAllowedError" ? "cancelled" : "refused";
        if (mode !== "conditional") showError(form, key);
      });
  }

  function start() {
    if (!window.PublicKeyCredential || !navigator.credentials) return;
    var unsupported = document.querySelector("[data-passkey-unsupported]");
    if (unsupported) unsupported.hidden = true;
    document.querySelectorAll("[data-needs-js]").forEach(function (el) {
      el.hidden = false;
    });
    var known = new URLSearchParams(location.search).get("passkey_error");
    document.querySelectorAll("form[data-passkey]").forEach(function (form) {
      var mode = form.getAttribute("data-passkey");
      if (known) showError(form, known);
      form.addEventListener("submit", function (event) {
        // Enter in a field: run the ceremony instead of sending an empty credential.
        event.preventDefault();
        ceremony(form, mode === "conditional" ? "get" : mode);
      });
      var button = form.querySelector("button[data-passkey-start]");
      if (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          ceremony(form, mode === "conditional" ? "get" : mode);
        });
      }
      // After a refusal the autofill request waits for the button, so that a passkey the
      // server refuses is not offered again and again.
      if (mode === "conditional" && !known && PublicKeyCredential.isConditionalMediationAvailable) {
        PublicKeyCredential.isConditionalMediationAvailable().then(function (yes) {
          if (yes) ceremony(form, "conditional");
        });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
