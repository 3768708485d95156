// Reader features on cached article pages: count the view, and send comments and
// ratings without leaving the page. The cached HTML carries no CSRF token (it is
// shared by every reader), so one is fetched from /csrf/ before each submission.
// Without JavaScript the forms stay hidden and a link leads to the respond page.

// The view also hands out the reader token a rating needs: a rating waits for it.
let viewed = Promise.resolve();

function countView() {
  const article = document.querySelector("[data-view-beacon]");
  if (article) {
    viewed = fetch(article.dataset.viewBeacon, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
    }).catch(() => {});
  }
}

async function csrfToken() {
  const response = await fetch("/csrf/", { credentials: "same-origin" });
  return (await response.json()).token;
}

function showErrors(form, errors) {
  form.querySelectorAll("[data-errors-for]").forEach((slot) => {
    const fieldErrors = errors[slot.dataset.errorsFor] || [];
    slot.textContent = fieldErrors.map((error) => error.message).join(" ");
    const input = form.querySelector(`[name="${slot.dataset.errorsFor}"]`);
    if (input) input.toggleAttribute("aria-invalid", fieldErrors.length > 0);
  });
}

function newSubmissionKey(form) {
  const key = form.querySelector("input[name=submission_key]");
  if (key) key.value = crypto.randomUUID();
}

// The form's state drives its styles (static/css/site.css): sending (buttons off,
// so a double click sends once), sent, or failed.
function setState(form, state) {
  form.dataset.state = state;
  form.querySelectorAll("button").forEach((button) => {
    button.disabled = state === "sending";
  });
}

async function submit(form, submitter) {
  const status = form.querySelector("[data-form-status]");
  const data = new FormData(form, submitter);
  status.textContent = "Sending…";
  setState(form, "sending");
  await viewed;
  const result = await send(form, data, status);
  setState(form, result);
  if (result === "sent" && submitter && submitter.name === "score") {
    form.querySelectorAll("button[name=score]").forEach((button) => {
      button.classList.toggle("is-chosen", button === submitter);
    });
  }
}

async function send(form, data, status) {
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": await csrfToken() },
    });
  } catch {
    status.textContent = "Could not reach the site; please try again.";
    return "failed";
  }
  const payload = await response.json().catch(() => ({}));
  if (response.ok && form.dataset.readerForm === "comment") {
    showErrors(form, {});
    form.reset();
    newSubmissionKey(form);
    status.textContent = payload.message;
    return "sent";
  }
  if (response.ok) {
    status.textContent = `Thank you. Average ${payload.average} from ${payload.count}.`;
    return "sent";
  }
  if (payload.errors) {
    showErrors(form, payload.errors);
    status.textContent = "Please correct the fields marked above.";
  } else {
    status.textContent = payload.error || "Something went wrong; please try again.";
  }
  return "failed";
}

document.addEventListener("DOMContentLoaded", () => {
  countView();
  document.querySelectorAll("form[data-reader-form]").forEach((form) => {
    form.hidden = false;
    newSubmissionKey(form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form, event.submitter);
    });
  });
});
