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
