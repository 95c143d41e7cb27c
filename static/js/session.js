// Session expiry warning (see clinic/staff/sessions.py).
//
// The server signs a user out after SESSION_IDLE_TIMEOUT_SECONDS without a
// request, and SESSION_ABSOLUTE_TIMEOUT_SECONDS after sign-in. This script:
//   * shows a warning shortly before the idle limit, with "Stay signed in",
//     which posts to the keep-alive endpoint (that request is the activity);
//   * asks the server before warning or signing out, so activity in another
//     tab counts;
//   * dispatches "stride:session-expiring" on document shortly before the end,
//     so forms can save a draft. Listeners should send their request with the
//     header named in event.detail.passiveHeader ("X-Stride-Session-Passive: 1")
//     so that saving the draft does not itself keep an idle session alive;
//   * sends the browser to the login page when the session has ended.
(() => {
  "use strict";

  const root = document.getElementById("session-timeout");
  if (!root) return;

  const PASSIVE_HEADER = "X-Stride-Session-Passive";
  const SAVE_BEFORE_SECONDS = 30; // when "stride:session-expiring" fires
  const GRACE_SECONDS = 2; // client and server clocks tick apart a little

  const form = root.querySelector("form[data-session-extend]");
  const countdown = root.querySelector("[data-session-countdown]");
  const idleText = root.querySelector("[data-session-idle-text]");
  const absoluteText = root.querySelector("[data-session-absolute-text]");
  const warnSeconds = Number(root.dataset.warnSeconds) || 120;
  const loginUrl = root.dataset.loginUrl;

  let idleDeadline = 0;
  let absoluteDeadline = 0;
  let warned = false;
  let expiringSent = false;
  let checking = false;

  function setDeadlines(idleRemaining, absoluteRemaining) {
    const now = Date.now();
    idleDeadline = now + idleRemaining * 1000;
    absoluteDeadline = now + absoluteRemaining * 1000;
  }

  function secondsLeft() {
    return Math.ceil((Math.min(idleDeadline, absoluteDeadline) - Date.now()) / 1000);
  }

  function formatSeconds(seconds) {
    const s = Math.max(0, seconds);
    const minutes = Math.floor(s / 60);
    return `${minutes}:${String(s % 60).padStart(2, "0")}`;
  }

  function showWarning() {
    // Extending helps only against the idle limit, not the absolute one.
    const absoluteFirst = absoluteDeadline <= idleDeadline;
    idleText.hidden = absoluteFirst;
    absoluteText.hidden = !absoluteFirst;
    form.hidden = absoluteFirst;
    root.hidden = false;
    warned = true;
  }

  function hideWarning() {
    root.hidden = true;
    warned = false;
    expiringSent = false;
  }

  function signedOut(loginPage) {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`${loginPage || loginUrl}?next=${encodeURIComponent(next)}`);
  }

  async function ask(method) {
    const headers = { Accept: "application/json" };
    const init = { method, headers, credentials: "same-origin" };
    if (method === "GET") {
      headers[PASSIVE_HEADER] = "1";
    } else {
      init.body = new FormData(form);
    }
    const response = await fetch(form.action, init);
    const data = await response.json();
    if (response.status === 401 || !data.signed_in) {
      signedOut(data.login_url);
      return false;
    }
    setDeadlines(data.idle_remaining, data.absolute_remaining);
    return true;
  }

  async function check() {
    if (checking) return;
    checking = true;
    try {
      await ask("GET");
      if (secondsLeft() > warnSeconds) hideWarning();
    } catch {
      // Offline or a server error: try again in a little while.
      const retry = 15;
      setDeadlines(
        Math.max((idleDeadline - Date.now()) / 1000, retry),
        Math.max((absoluteDeadline - Date.now()) / 1000, retry),
      );
    } finally {
      checking = false;
    }
  }

  function tick() {
    const left = secondsLeft();
    if (countdown) countdown.textContent = formatSeconds(left);
    if (left <= -GRACE_SECONDS) {
      check();
      return;
    }
    if (left <= SAVE_BEFORE_SECONDS && !expiringSent) {
      expiringSent = true;
      document.dispatchEvent(
        new CustomEvent("stride:session-expiring", {
          detail: { secondsLeft: left, passiveHeader: PASSIVE_HEADER },
        }),
      );
    }
    if (left <= warnSeconds && !warned) {
      // Another tab may have kept the session alive: ask before warning.
      check().then(() => {
        if (secondsLeft() <= warnSeconds) showWarning();
      });
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      if (await ask("POST")) hideWarning();
    } catch {
      form.submit(); // let the browser post it; the server answers with a redirect
    }
  });

  setDeadlines(Number(root.dataset.idleRemaining), Number(root.dataset.absoluteRemaining));
  window.setInterval(tick, 1000);
})();
