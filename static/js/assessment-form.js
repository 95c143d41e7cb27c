// Autosave for the assessment form (templates/assessments/record/edit.html).
//
// Posts the whole form to data-autosave-url two seconds after the last
// change, one request at a time, and at once when the session is about to
// end ("stride:session-expiring", see session.js) or the tab is hidden. The
// answer carries the new version (the optimistic lock), errors by field and
// the derived values (best time, LSI…), which are written into the page.
// A conflict (the record changed elsewhere) stops autosaving and offers to
// submit the form normally: the server then shows the conflict page with
// every typed value kept.
(() => {
  "use strict";

  const form = document.getElementById("assessment-form");
  if (!form || !form.dataset.autosaveUrl) return;

  const DELAY_MS = 2000;
  const status = document.querySelector("[data-autosave-status]");
  const conflict = document.querySelector("[data-autosave-conflict]");
  const versionInput = form.querySelector("input[name=version]");

  let timer = null;
  let inFlight = null;
  let dirty = false;
  let stopped = false;
  let resubmitting = false;

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-js-error]").forEach((node) => node.remove());
    form.querySelectorAll(".is-invalid[data-js-invalid]").forEach((node) => {
      node.classList.remove("is-invalid");
      node.removeAttribute("aria-invalid");
      if (node.dataset.jsDescribed) node.removeAttribute("aria-describedby");
      delete node.dataset.jsInvalid;
      delete node.dataset.jsDescribed;
    });
    Object.entries(errors || {}).forEach(([name, messages]) => {
      const input = form.elements.namedItem(name);
      if (!input || !input.classList) return;
      const note = document.createElement("div");
      note.className = "invalid-feedback d-block";
      note.dataset.jsError = "1";
      note.textContent = messages.join(" ");
      if (!input.classList.contains("is-invalid")) {
        input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
        input.dataset.jsInvalid = "1";
        if (input.id && !input.getAttribute("aria-describedby")) {
          note.id = `${input.id}_error`;
          input.setAttribute("aria-describedby", note.id);
          input.dataset.jsDescribed = "1";
        }
      }
      // After the unit beside the input, not between them.
      const group = input.closest(".input-group");
      (group || input).insertAdjacentElement("afterend", note);
    });
  }

  function showDerived(derived, flagged) {
    const flags = new Set(flagged || []);
    document.querySelectorAll("[data-derived]").forEach((node) => {
      const key = node.dataset.derived;
      node.textContent = (derived && derived[key]) || "";
      node.classList.toggle("flagged", flags.has(key));
    });
  }

  async function save({ passive = false, keepalive = false } = {}) {
    if (stopped) return;
    if (inFlight) {
      dirty = true;
      return inFlight;
    }
    window.clearTimeout(timer);
    dirty = false;
    const headers = { Accept: "application/json", "X-Requested-With": "fetch" };
    if (passive) headers["X-Stride-Session-Passive"] = "1";
    say("Saving…");
    inFlight = fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      headers,
      credentials: "same-origin",
      keepalive,
    })
      .then(async (response) => {
        let data = {};
        try {
          data = await response.json();
        } catch {
          data = {};
        }
        if (response.ok && data.saved) {
          if (versionInput && data.version) versionInput.value = data.version;
          const problems = Object.keys(data.errors || {}).length;
          say(
            problems
              ? `Saved ${data.saved_at}; ${problems} field(s) need attention and were not saved`
              : `Saved ${data.saved_at}`,
            problems > 0,
          );
          showErrors(data.errors);
          showDerived(data.derived, data.flagged);
        } else if (response.status === 409 && data.conflict) {
          stopped = true;
          say("Not saved: changed elsewhere", true);
          if (conflict) conflict.hidden = false;
        } else if (response.status === 401) {
          stopped = true;
          say("Signed out: the last changes were not saved", true);
        } else {
          if (response.status === 403 || data.locked) stopped = true;
          say(data.message || "Not saved", true);
        }
      })
      .catch(() => {
        dirty = true;
        say("Offline: will retry", true);
        timer = window.setTimeout(() => save(), DELAY_MS * 5);
      })
      .finally(() => {
        inFlight = null;
        if (dirty && !stopped) schedule();
      });
    return inFlight;
  }

  function schedule() {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => save(), DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  document.addEventListener("stride:session-expiring", (event) => {
    save({ passive: Boolean(event.detail && event.detail.passiveHeader) });
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && dirty) save({ keepalive: true });
  });

  // A normal submit (Save, Sign, Raise order) waits for an autosave in flight,
  // so it carries the version that autosave produced.
  form.addEventListener("submit", (event) => {
    window.clearTimeout(timer);
    if (resubmitting || !inFlight) return;
    event.preventDefault();
    const submitter = event.submitter;
    inFlight.finally(() => {
      resubmitting = true;
      form.requestSubmit(submitter);
    });
  });

  document.querySelectorAll("[data-autosave-review]").forEach((button) => {
    button.addEventListener("click", () => {
      stopped = true;
      resubmitting = true;
      form.requestSubmit();
    });
  });
})();
