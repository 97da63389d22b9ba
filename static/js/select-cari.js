// A select marked data-cari="<placeholder>" gets a search box above it that narrows its options
// (the jabatan catalogue lists thousands). Options are rebuilt from a copy rather than hidden,
// which not every browser honours inside a select. The chosen option always stays listed, so
// narrowing never changes the choice by itself. Without JavaScript the select works as it is.
(function () {
  function enhance(select) {
    const all = Array.from(select.children, (node) => node.cloneNode(true));
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.cari;
    box.setAttribute("aria-label", select.dataset.cari);
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.before(box);

    box.addEventListener("input", () => {
      const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      const chosen = select.value;
      const keep = (option) =>
        option.value === "" ||
        option.value === chosen ||
        words.every((word) => option.textContent.toLowerCase().includes(word));
      const shown = [];
      for (const node of all) {
        if (node.tagName === "OPTGROUP") {
          const options = Array.from(node.children).filter(keep);
          if (options.length) {
            const group = node.cloneNode(false);
            group.append(...options.map((option) => option.cloneNode(true)));
            shown.push(group);
          }
        } else if (keep(node)) {
          shown.push(node.cloneNode(true));
        }
      }
      select.replaceChildren(...shown);
      select.value = chosen;
    });
    // Enter in the box goes to the narrowed list instead of submitting the form.
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }
  document.querySelectorAll("select[data-cari]").forEach(enhance);
})();
