// The assessment form on a tablet (templates/assessments/record/edit.html).
//
// - "Add test" shows the chosen test at once from its <template> (without the
//   script the button posts the form: the draft is saved and the page comes
//   back with the test added). "Remove" takes an empty test off the page.
// - Enter in a field moves to the next field instead of submitting the form.
// - The section bar marks the section in view.
// - A strength group's force unit (N or kg) is shown beside its force inputs.
(() => {
  "use strict";

  const form = document.getElementById("assessment-form");
  if (!form) return;

  const changed = () => form.dispatchEvent(new Event("change", { bubbles: true }));

  function hasValue(row) {
    return Array.from(row.querySelectorAll("input, select, textarea")).some((input) => {
      if (input.type === "checkbox") return input.checked;
      if (input.tagName === "SELECT") return input.value !== "" && input.value !== "unknown" && !input.name.endsWith("-unit");
      return input.value.trim() !== "";
    });
  }

  function addOption(group, key, label) {
    const control = group.querySelector("[data-add-test]");
    const select = control && control.querySelector("select");
    if (!select) return;
    const option = new Option(label, key);
    select.add(option);
    control.hidden = false;
  }

  function addTest(group) {
    const control = group.querySelector("[data-add-test]");
    const select = control.querySelector("select");
    const key = select.value;
    const template = group.querySelector(`template[data-test-template$=":${CSS.escape(key)}"]`);
    if (!template) return false;
    const rows = group.querySelector("[data-test-rows]");
    const empty = rows.querySelector("[data-no-tests]");
    if (empty) empty.remove();
    rows.appendChild(template.content.cloneNode(true));
    template.remove();
    select.remove(select.selectedIndex);
    if (!select.options.length) control.hidden = true;
    const row = rows.lastElementChild;
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    changed();
    return true;
  }

  function removeTest(button) {
    const row = button.closest(".test-row");
    const group = button.closest("[data-test-group]");
    if (!row || !group) return false;
    if (hasValue(row)) {
      button.textContent = "Clear its values first";
      return true;
    }
    const [groupName, key] = row.dataset.test.split(":");
    const label = row.querySelector(".test-name").textContent;
    const template = document.createElement("template");
    template.dataset.testTemplate = `${groupName}:${key}`;
    row.replaceWith(template);
    template.content.appendChild(row);
    addOption(group, key, label);
    group.querySelector("[data-add-test] button").focus();
    return true;
  }

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-test-button]");
    if (add && addTest(add.closest("[data-test-group]"))) {
      event.preventDefault();
      return;
    }
    const remove = event.target.closest("[data-remove-test]");
    if (remove && removeTest(remove)) event.preventDefault();
  });

  // Enter moves on (left → right, then the next row) and never submits half a form.
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    if (target.type === "submit" || target.type === "button") return;
    event.preventDefault();
    const fields = Array.from(form.elements).filter(
      (el) => !el.disabled && el.type !== "hidden" && el.tabIndex >= 0 && el.offsetParent !== null && el.type !== "submit",
    );
    const next = fields[fields.indexOf(target) + 1];
    if (next) next.focus();
  });

  // The force unit beside a strength group's forces follows its unit select.
  form.addEventListener("change", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.name.endsWith("-unit")) return;
    const row = select.closest(".test-row");
    if (!row) return;
    const text = select.value === "kgf" ? "kg" : "N";
    row.querySelectorAll("[data-force-unit]").forEach((node) => {
      node.textContent = text;
    });
  });

  // The section bar marks the section in view: the last one whose top has passed 40 % of the window
  // or, with the page scrolled to its end (the last sections can never reach that line), the last one
  // whose top is on screen.
  const bar = document.querySelector("[data-section-bar]");
  if (bar) {
    const links = Array.from(bar.querySelectorAll("a[href^='#']"));
    const sections = links.map((link) => document.getElementById(link.getAttribute("href").slice(1)));
    let current = null;
    let queued = false;
    const mark = () => {
      queued = false;
      const atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      const line = atEnd ? window.innerHeight : window.innerHeight * 0.4;
      let index = -1;
      sections.forEach((section, i) => {
        if (section && section.getBoundingClientRect().top <= line) index = i;
      });
      const link = links[Math.max(index, 0)];
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      link.setAttribute("aria-current", "location");
      current = link;
      // Keep the marked link in view inside the bar (the bar scrolls, never the page).
      const list = link.parentElement.parentElement;
      const left = link.offsetLeft - list.offsetLeft;
      if (left < list.scrollLeft || left + link.offsetWidth > list.scrollLeft + list.clientWidth) {
        list.scrollLeft = left - 16;
      }
    };
    const queue = () => {
      if (!queued) {
        queued = true;
        window.requestAnimationFrame(mark);
      }
    };
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue);
    mark();
  }
})();
