// The week calendar: move a booked visit by dragging it to another time, or from the keyboard
// (focus it, press M, go to a free time, press Enter). Either way a dialog asks first, then posts
// the visit's own Move form: the same service, conflict check and version check as the
// appointment page. Without JavaScript each free time is a link to book it and each visit links to
// its page, whose Move form does the same.
(function () {
  "use strict";
  var grid = document.getElementById("week-grid");
  var dialog = document.getElementById("wk-move-dialog");
  if (!grid || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var form = document.getElementById("wk-move-form");
  var question = document.getElementById("wk-move-question");
  var status = document.getElementById("wk-status");
  var moving = null; // the visit being moved
  var dropCell = null;
  var grabOffset = 0;
  var submitting = false;

  function movable(target) {
    return target && target.closest ? target.closest(".wk-block[data-move-url]") : null;
  }

  function clearDrop() {
    if (dropCell) {
      dropCell.classList.remove("wk-drop");
    }
    dropCell = null;
  }

  function startMove(block) {
    stopMove();
    moving = block;
    block.classList.add("wk-source");
    grid.classList.add("wk-moving");
  }

  function stopMove() {
    var block = moving;
    if (block) {
      block.classList.remove("wk-source");
    }
    grid.classList.remove("wk-moving");
    clearDrop();
    moving = null;
    return block;
  }

  function ask(block, cell) {
    var column = cell.closest(".wk-col");
    form.action = block.dataset.moveUrl;
    form.elements.version.value = block.dataset.version;
    form.elements.date.value = cell.dataset.date;
    form.elements.time.value = cell.dataset.time;
    form.elements.therapist.value = column.dataset.therapist;
    var who = column.dataset.therapistName.split(",")[0];
    question.textContent = "Move " + block.dataset.name + " to " + cell.dataset.label + " with " + who + "?";
    dialog.showModal();
  }

  // The 15-minute cell of a column at a height on the screen.
  function cellAt(column, y) {
    var cells = column.querySelectorAll(".wk-cell");
    for (var i = 0; i < cells.length; i++) {
      var box = cells[i].getBoundingClientRect();
      if (y >= box.top && y < box.bottom) {
        return cells[i];
      }
    }
    return null;
  }

  grid.addEventListener("dragstart", function (event) {
    var block = movable(event.target);
    if (!block) {
      return;
    }
    // Where the visit was taken hold of: it lands with its top where its top is dropped.
    grabOffset = event.clientY - block.getBoundingClientRect().top;
    startMove(block);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", block.dataset.name);
  });

  grid.addEventListener("dragover", function (event) {
    if (!moving) {
      return;
    }
    var column = event.target.closest ? event.target.closest(".wk-col") : null;
    var cell = column ? cellAt(column, event.clientY - grabOffset + 2) : null;
    if (!cell || cell.classList.contains("wk-past")) {
      clearDrop();
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (cell !== dropCell) {
      clearDrop();
      dropCell = cell;
      cell.classList.add("wk-drop");
    }
  });

  grid.addEventListener("drop", function (event) {
    if (!moving || !dropCell) {
      return;
    }
    event.preventDefault();
    var cell = dropCell;
    clearDrop();
    ask(moving, cell);
  });

  grid.addEventListener("dragend", function () {
    if (!dialog.open) {
      stopMove();
    }
  });

  grid.addEventListener("keydown", function (event) {
    var block = movable(event.target);
    if (block && (event.key === "m" || event.key === "M") && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      startMove(block);
      status.textContent =
        "Moving " + block.dataset.name + ": go to a free time and press Enter; Escape stops.";
      var first = block.closest(".wk-col").querySelector(".wk-free");
      if (first) {
        first.focus();
      }
      return;
    }
    if (!moving || dialog.open) {
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      var was = stopMove();
      status.textContent = "Move stopped.";
      was.focus();
      return;
    }
    var cell = event.target.closest ? event.target.closest(".wk-free") : null;
    if (cell && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      // Up and down step through the free times of the same column.
      var free = Array.prototype.slice.call(cell.closest(".wk-col").querySelectorAll(".wk-free"));
      var next = free[free.indexOf(cell) + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  });

  // While moving, a free time (clicked, or Enter on it) is where the visit goes, not a new booking.
  grid.addEventListener("click", function (event) {
    var cell = event.target.closest ? event.target.closest(".wk-free") : null;
    if (cell && moving) {
      event.preventDefault();
      ask(moving, cell);
    }
  });

  document.getElementById("wk-move-cancel").addEventListener("click", function () {
    dialog.close();
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });
  dialog.addEventListener("close", function () {
    if (submitting) {
      return;
    }
    var was = stopMove();
    status.textContent = "Not moved.";
    if (was) {
      was.focus();
    }
  });
})();
