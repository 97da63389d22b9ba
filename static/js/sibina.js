// Behaviour shared by every page, kept out of the HTML: the Content Security Policy allows
// scripts from this site's files only, never inline handlers.

// A select marked data-autosubmit submits its form when it changes (filters on list pages).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// A table wider than a phone scrolls sideways: keyboard users must be able to reach and scroll
// it, so every such region takes the focus (also those htmx swaps in later).
function focusableScrollRegions(root) {
  root.querySelectorAll(".table-responsive:not([tabindex])").forEach((region) => {
    region.tabIndex = 0;
  });
}
focusableScrollRegions(document);
document.addEventListener("htmx:afterSwap", (event) => focusableScrollRegions(event.target));

// A long select marked data-cari (units with their OPD path, pembinaan/lib/widgets.py) gets a
// search box above it: typing hides the options that do not hold every typed word. The select
// stays the control (keyboard, screen readers, the form's value); while searching, a dropdown
// opens as a list so its matches show, Enter picks the first match and Arrow Down moves into it.
function plainText(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function searchableSelects(root) {
  root.querySelectorAll("select[data-cari]:not([data-cari-siap])").forEach((select) => {
    select.dataset.cariSiap = "";
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "Ketik untuk mencari…";
    box.autocomplete = "off";
    box.setAttribute("aria-label", `Cari ${label ? label.textContent.trim() : "pilihan"}`);
    if (select.id) box.setAttribute("aria-controls", select.id);
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    select.before(box);
    select.after(status);
    // Of a list that scrolls, which options are chosen, in words: some may be out of sight.
    const chosen = document.createElement("div");
    chosen.className = "form-text";
    if (select.multiple) status.after(chosen);
    function showChosen() {
      const names = Array.from(select.selectedOptions, (option) => option.text);
      chosen.textContent = names.length ? `Dipilih (${names.length}): ${names.join("; ")}` : "";
    }
    showChosen();
    const size = select.size;
    const labels = Array.from(select.options, (option) => plainText(option.text));

    function filter() {
      const words = plainText(box.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      Array.from(select.options).forEach((option, i) => {
        const match = words.every((word) => labels[i].includes(word));
        option.hidden = !match && !option.selected;
        if (match && option.value) shown += 1;
      });
      if (!select.multiple) select.size = words.length ? Math.max(2, Math.min(8, shown)) : size;
      status.textContent = words.length ? `${shown} pilihan cocok` : "";
    }

    box.addEventListener("input", filter);
    // The box is not a filter of the page: its own change must not submit a filter form.
    box.addEventListener("change", (event) => event.stopPropagation());
    box.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        const first = Array.from(select.options).find((o) => !o.hidden && o.value);
        if (first && !select.multiple) {
          select.value = first.value;
          box.value = "";
          filter();
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });
    select.addEventListener("change", () => {
      if (select.multiple) showChosen();
      if (!select.multiple && box.value) {
        box.value = "";
        filter();
      }
    });
  });
}
searchableSelects(document);
document.addEventListener("htmx:afterSwap", (event) => searchableSelects(event.target));
