// Autosave of the patient's forms (intake steps, weekly check-in): keeps what is typed.
//
// A form with data-autosave-url is posted there (whole form, CSRF token
// included) one second after the last change, and when the page is hidden
// (tab closed, phone locked). The server keeps it as a draft of the step; the
// "Next" button still validates and saves as it does without JavaScript.
(() => {
  "use strict";

  const form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  const url = form.dataset.autosaveUrl;
  const status = document.getElementById("autosave-status");
  const DELAY_MS = 1000;

  let timer = null;
  let inFlight = false;
  let again = false;
  let dirty = false;
  let stopped = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  async function save() {
    timer = null;
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    dirty = false;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok && data.saved) {
        say(`Saved at ${data.saved_at}.`);
      } else if (response.status === 409) {
        stopped = true;
        say("These answers were changed on another device or in another window. Press Next to keep what you typed here.");
      } else if (response.status === 403) {
        stopped = true;
        say("Not saved: please open the link in your email again. Pressing Next will show what to do.");
      } else {
        dirty = true;
        say("Not saved yet. Your answers will be saved when you press Next.");
      }
    } catch {
      dirty = true;
      say("You seem to be offline. Your answers will be saved when you press Next.");
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  function schedule() {
    dirty = true;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Anything typed before this script ran (a slow phone) has fired no event yet.
  function changedBeforeLoad(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") return [...el.options].some((o) => o.selected !== o.defaultSelected);
    return "defaultValue" in el && el.type !== "hidden" && el.value !== el.defaultValue;
  }
  if ([...form.elements].some(changedBeforeLoad)) schedule();
  // Submitting the form saves it: no autosave may race the real submit.
  form.addEventListener("submit", () => {
    stopped = true;
    if (timer) window.clearTimeout(timer);
  });
  // A closing tab or a locked phone: send what is typed, without waiting.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "hidden" || !dirty || stopped) return;
    if (timer) window.clearTimeout(timer);
    timer = null;
    dirty = false;
    navigator.sendBeacon?.(url, new FormData(form));
  });
})();
