// Title suggestions as you type, from /search/suggest/ into the input's datalist.
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("[data-suggest-url]");
  if (!input) return;
  const list = document.getElementById(input.getAttribute("list"));
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = input.value.trim();
      if (query.length < 2) return;
      const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(query)}`;
      const response = await fetch(url);
      if (!response.ok) return;
      const { suggestions } = await response.json();
      list.replaceChildren(
        ...suggestions.map(({ title }) => Object.assign(document.createElement("option"), { value: title })),
      );
    }, 200);
  });
});
