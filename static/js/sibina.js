// Behaviour shared by every page, kept out of the HTML: the Content Security Policy allows
// scripts from this site's files only, never inline handlers.

// A select marked data-autosubmit submits its form when it changes (filters on list pages).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});
