// Forms on cached pages carry no CSRF token in their HTML (it would be shared by
// every reader). Before such a form is submitted, fetch a token from the uncached
// /csrf/ endpoint (which also sets the CSRF cookie) and put it in the form.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form[data-csrf]") || form.dataset.csrfReady) return;
  event.preventDefault();
  const response = await fetch("/csrf/", { credentials: "same-origin" });
  const { token } = await response.json();
  let input = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = "csrfmiddlewaretoken";
    form.appendChild(input);
  }
  input.value = token;
  form.dataset.csrfReady = "1";
  form.requestSubmit(event.submitter);
});
