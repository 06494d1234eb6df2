// Passkey ceremonies for Agora. Forms marked data-passkey="signup",
// "login" or "add" are taken over: their fields go to
// /webauthn/<kind>/begin, the browser creates or uses a passkey, and the
// answer goes to /webauthn/<kind>/finish. Without this script (or without
// passkey support) the forms post normally and the server explains the
// other ways in. Written for old browsers too: no build step, no modules.
(function () {
  "use strict";

  function b64urlToBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s), buf = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { buf[i] = bin.charCodeAt(i); }
    return buf.buffer;
  }

  function bufToB64url(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (resp) {
      return resp.json().then(function (data) {
        if (!resp.ok) { throw new Error(data.error || resp.statusText); }
        return data;
      });
    });
  }

  // The options as the server sends them, with binary fields as ArrayBuffers.
  function creationOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64urlToBuf(pk.challenge);
    pk.user.id = b64urlToBuf(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
    return o;
  }

  function requestOptions(o) {
    var pk = o.publicKey;
    pk.challenge = b64urlToBuf(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
    return o;
  }

  function credentialJSON(cred) {
    var r = cred.response, out = {
      id: cred.id, rawId: bufToB64url(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      response: { clientDataJSON: bufToB64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = bufToB64url(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    } else {
      out.response.authenticatorData = bufToB64url(r.authenticatorData);
      out.response.signature = bufToB64url(r.signature);
      if (r.userHandle) { out.response.userHandle = bufToB64url(r.userHandle); }
    }
    return out;
  }

  function fieldsOf(form) {
    var data = {};
    ["handle", "display_name", "passkey_name", "next"].forEach(function (name) {
      var el = form.elements[name];
      if (el) { data[name] = el.value; }
    });
    return data;
  }

  function run(form) {
    var kind = form.getAttribute("data-passkey");
    var status = form.querySelector(".passkey-status");
    var button = form.querySelector("button[type=submit]");
    function say(text) { status.textContent = text; }

    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(status.getAttribute("data-unsupported"));
      return;
    }
    button.disabled = true;
    say(status.getAttribute("data-working"));
    post("/webauthn/" + kind + "/begin", fieldsOf(form)).then(function (begin) {
      var ask = kind === "login"
        ? navigator.credentials.get(requestOptions(begin.options))
        : navigator.credentials.create(creationOptions(begin.options));
      return ask.then(function (cred) {
        return post("/webauthn/" + kind + "/finish?ceremony=" + encodeURIComponent(begin.ceremony), credentialJSON(cred));
      });
    }).then(function (done) {
      window.location.assign(done.redirect);
    }).catch(function (err) {
      button.disabled = false;
      var cancelled = err && (err.name === "NotAllowedError" || err.name === "AbortError");
      say(cancelled ? status.getAttribute("data-cancelled") : err.message);
    });
  }

  var forms = document.querySelectorAll("form[data-passkey]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (ev) {
      ev.preventDefault();
      run(ev.currentTarget);
    });
  }
})();
