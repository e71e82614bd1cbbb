// The agenda's enhancements (booking.md §1.1, §9): arrow keys move between the 15-minute cells,
// a mouse drag over free cells of one column opens the wizard with the selected duration, and
// the print page's « Imprimer » button. Without this script every cell is already a link.
(function () {
  "use strict";

  var printButton = document.querySelector(".rdv-print-button");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var grid = document.querySelector("[data-agenda-grid]");
  if (!grid) return;
  // booking.md §9: the day view by default on small screens (the week is the server's default).
  var dayPath = grid.getAttribute("data-small-screen-path");
  if (dayPath && window.matchMedia("(max-width: 47.98em)").matches) {
    window.location.replace(dayPath);
    return;
  }
  var columns = Array.prototype.slice.call(grid.querySelectorAll(".rdv-agenda__col .rdv-agenda__day"));
  var cellsOf = function (column) { return Array.prototype.slice.call(column.querySelectorAll(".rdv-cell")); };
  var table = columns.map(cellsOf);

  // Keyboard: one tab stop per column's first free cell would change the page order; keep
  // every link focusable and add arrow keys on top (up/down 15 minutes, left/right a column).
  function position(cell) {
    for (var c = 0; c < table.length; c++) {
      var r = table[c].indexOf(cell);
      if (r >= 0) return [c, r];
    }
    return null;
  }
  function focusAt(c, r, step) {
    while (c >= 0 && c < table.length && r >= 0 && r < table[c].length) {
      var cell = table[c][r];
      if (cell.tagName === "A") { cell.focus(); return true; }
      if (step === "row") r += 1; else if (step === "row-") r -= 1; else break;
    }
    return false;
  }
  grid.addEventListener("keydown", function (event) {
    var at = position(document.activeElement);
    if (!at) return;
    var moves = { ArrowUp: [0, -1, "row-"], ArrowDown: [0, 1, "row"], ArrowLeft: [-1, 0, "row"], ArrowRight: [1, 0, "row"] };
    var move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    focusAt(at[0] + move[0], at[1] + move[1], move[2]);
  });

  // Drag-select: from the pressed free cell to the cell under the pointer, same column, free
  // cells only; releasing opens the wizard link of the first cell with the duration replaced.
  var selection = null;
  function clear() {
    grid.querySelectorAll(".rdv-cell--selected").forEach(function (cell) { cell.classList.remove("rdv-cell--selected"); });
  }
  function paint() {
    clear();
    var cells = table[selection.column];
    var from = Math.min(selection.start, selection.end), to = Math.max(selection.start, selection.end);
    for (var r = from; r <= to; r++) cells[r].classList.add("rdv-cell--selected");
  }
  grid.addEventListener("mousedown", function (event) {
    var cell = event.target.closest("a.rdv-cell");
    if (!cell || event.button !== 0) return;
    var at = position(cell);
    selection = { column: at[0], start: at[1], end: at[1], moved: false };
    event.preventDefault();
    paint();
  });
  grid.addEventListener("mouseover", function (event) {
    if (!selection) return;
    var cell = event.target.closest(".rdv-cell");
    var at = cell && position(cell);
    if (!at || at[0] !== selection.column) return;
    var cells = table[selection.column], step = at[1] >= selection.start ? 1 : -1;
    for (var r = selection.start; r !== at[1] + step; r += step) if (cells[r].tagName !== "A") return;
    selection.end = at[1];
    selection.moved = selection.end !== selection.start;
    paint();
  });
  document.addEventListener("mouseup", function () {
    if (!selection) return;
    var cells = table[selection.column];
    var first = cells[Math.min(selection.start, selection.end)];
    var count = Math.abs(selection.end - selection.start) + 1;
    selection = null;
    var url = new URL(first.href, window.location.href);
    url.searchParams.set("duration", String(count === 1 ? 30 : count * 15));
    window.location.assign(url.toString());
  });
})();
