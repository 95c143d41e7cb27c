// Enter in the patient search box searches; Enter anywhere else in the booking
// form confirms (the form's hidden first button), as a desk would expect.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("patient-q");
  const search = document.getElementById("patient-search");
  if (!box || !search) return;
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search.click();
    }
  });
});
