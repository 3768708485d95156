// Drag an entry onto another day to move it: the same POST as the entry's
// "Move to date" form (which works without this script), sent with fetch, then
// the calendar reloads to show where things are now. No framework.
(function () {
  "use strict";
  const root = document.querySelector(".planning-calendar");
  if (!root) return;
  const moveUrl = root.dataset.moveUrl;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]");

  root.addEventListener("dragstart", function (event) {
    const entry = event.target.closest(".planning-entry[draggable=true]");
    if (!entry) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData(
      "application/x-planning-entry",
      JSON.stringify({ kind: entry.dataset.kind, pk: entry.dataset.pk })
    );
  });

  root.querySelectorAll(".planning-day").forEach(function (day) {
    day.addEventListener("dragover", function (event) {
      if (event.dataTransfer.types.includes("application/x-planning-entry")) {
        event.preventDefault();
        day.classList.add("planning-day--over");
      }
    });
    day.addEventListener("dragleave", function () {
      day.classList.remove("planning-day--over");
    });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("planning-day--over");
      const raw = event.dataTransfer.getData("application/x-planning-entry");
      if (!raw) return;
      const entry = JSON.parse(raw);
      const body = new FormData();
      body.append("kind", entry.kind);
      body.append("pk", entry.pk);
      body.append("date", day.dataset.date);
      fetch(moveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.ok) {
            window.location.reload();
          } else {
            window.alert(result.message);
          }
        })
        .catch(function () { window.alert("The move could not be sent; try again."); });
    });
  });
})();
