// The catalog page's filters (inlined by careprint/catalog.py). Without this script the whole
// list shows and the filter form stays hidden.
"use strict";
(() => {
  const form = document.getElementById("filters");
  if (!form) return; // nothing built yet
  const count = document.getElementById("result-count");
  const noResults = document.getElementById("no-results");
  // Search ignores case and accents: "espanol" finds "español".
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const rows = Array.from(document.querySelectorAll("tr[data-lang]"), (row) => ({ row, text: fold(row.dataset.search) }));
  const total = rows.length;

  const matches = (item, wanted) => {
    const data = item.row.dataset;
    return (
      (!wanted.lang || data.lang === wanted.lang) &&
      (!wanted.audience || data.audience === wanted.audience) &&
      (!wanted.topic || data.topic === wanted.topic) &&
      wanted.words.every((word) => item.text.includes(word))
    );
  };

  const hideEmpty = (selector) => {
    for (const element of document.querySelectorAll(selector)) {
      element.hidden = !element.querySelector("tr[data-lang]:not([hidden])");
    }
  };

  const apply = () => {
    const wanted = {
      lang: form.elements.lang.value,
      audience: form.elements.audience.value,
      topic: form.elements.topic.value,
      words: fold(form.elements.search.value).split(/\s+/).filter(Boolean),
    };
    let shown = 0;
    for (const item of rows) {
      item.row.hidden = !matches(item, wanted);
      shown += item.row.hidden ? 0 : 1;
    }
    hideEmpty("#results table");
    hideEmpty("#results section");
    noResults.hidden = shown > 0;
    const text = shown === total ? `Showing all ${total} PDFs.` : `Showing ${shown} of ${total} PDFs.`;
    if (count.textContent !== text) count.textContent = text;
  };

  form.addEventListener("input", apply);
  form.addEventListener("reset", () => setTimeout(apply));
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("pageshow", apply); // filters the browser restored (Back button)
  form.hidden = false;
  apply();
})();
