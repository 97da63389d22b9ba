// A long select marked data-cari (the jabatan catalogue, the unit tree with each unit's OPD path:
// pembinaan/lib/widgets.py SearchableSelect) gets a search box above it that narrows its options
// to those holding every typed word, in the label or in data-cari-kata (a unit's code). Options
// are rebuilt from a copy rather than hidden, which not every browser honours inside a select.
// The chosen options always stay listed, so narrowing never changes the choice by itself. Arrow
// Down moves into the list; Enter picks the first match of a single select. A status line tells
// screen readers how many options match, and a multiple select says in words which options are
// chosen (some may be out of sight). Without JavaScript the select works as it is. Loaded on
// every signed-in page (templates/base.html).
// A select that also has data-cari-url (a unit picker over a big scope, pegawai/widgets.py) holds
// only a few options: from 2 typed characters the box asks that URL (&q=) for the matching ones,
// which replace the listed options but the empty and the chosen ones. Enter there picks only from
// the answer to what is typed now: before it arrives it waits for it, and with fewer than 2
// characters it picks nothing (never an option of an older list: on an edit form that would move
// a pegawai on save). The status names what is listed (data-cari-jenis, "unit"; else "pilihan").
// A form is not sent while a single select's box holds text that its chosen option does not: the
// empty choice ("Semua unit"), or the unit a select without one started with, is then not what
// was meant, so the box says to pick or to clear it.
(function () {
  function plain(text) {
    // As the server's unit search (pegawai.models.unit_search): full-width letters as plain ones,
    // accents dropped.
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function searched(option) {
    // The label and the words it is also found by (a unit's code: data-cari-kata).
    return plain(`${option.textContent} ${option.dataset.cariKata || ""}`);
  }

  function enhance(select) {
    select.dataset.cariSiap = "";
    const all = Array.from(select.children, (node) => node.cloneNode(true));
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.cari || "Ketik untuk mencari…";
    // The label's words without the required field's asterisk.
    const name = label && label.textContent.replace(/\*/g, "").trim();
    box.setAttribute("aria-label", name ? `Cari ${name}` : box.placeholder);
    if (select.id) box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    const jenis = select.dataset.cariJenis || "pilihan";
    const status = document.createElement("div");
    status.className = "form-text";
    status.setAttribute("role", "status");
    const chosenText = document.createElement("div");
    chosenText.className = "form-text";
    // The no-script way down the tree ("Tampilkan sub-unit", right after the select) is not
    // needed once the box searches every unit of the scope.
    const telusuri = select.nextElementSibling;
    if (select.dataset.cariUrl && telusuri && telusuri.name && telusuri.name.startsWith("_telusuri_")) {
      telusuri.hidden = true;
    }
    select.before(box);
    select.after(status);
    if (select.multiple) status.after(chosenText);

    function showChosen() {
      const names = Array.from(select.selectedOptions, (option) => option.textContent);
      chosenText.textContent = names.length ? `Dipilih (${names.length}): ${names.join("; ")}` : "";
    }

    function narrow() {
      const words = plain(box.value).split(/\s+/).filter(Boolean);
      const chosen = new Set(Array.from(select.selectedOptions, (option) => option.value));
      const keep = (option) =>
        option.value === "" ||
        chosen.has(option.value) ||
        words.every((word) => searched(option).includes(word));
      const shown = [];
      let matches = 0;
      for (const node of all) {
        const options = node.tagName === "OPTGROUP" ? Array.from(node.children) : [node];
        const kept = options.filter(keep).map((option) => option.cloneNode(true));
        matches += kept.filter((option) => option.value && !chosen.has(option.value)).length;
        if (node.tagName !== "OPTGROUP") {
          shown.push(...kept);
        } else if (kept.length) {
          const group = node.cloneNode(false);
          group.append(...kept);
          shown.push(group);
        }
      }
      select.replaceChildren(...shown);
      for (const option of select.options) option.selected = chosen.has(option.value);
      if (!words.length) status.textContent = "";
      else if (!matches) status.textContent = `Tidak ada ${jenis} yang cocok`;
      else status.textContent = `${matches} ${jenis} cocok`;
    }

    let asked = null;
    let answered = null; // the typed text whose answer is listed
    let pickWhenAnswered = false;
    function pickFirst() {
      // The first match not chosen yet (the chosen options stay listed, found or not).
      const matches = Array.from(select.options).filter((option) => option.value);
      const first = matches.find((option) => !option.selected) || matches[0];
      if (first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    function ask() {
      const typed = box.value.trim();
      answered = null;
      const chosenNow = new Set(Array.from(select.selectedOptions, (option) => option.value));
      if (asked) asked.abort();
      if (typed.length < 2) {
        // The options first listed, and a unit found and chosen since.
        const first = new Set(all.map((node) => node.value));
        const picked = Array.from(select.selectedOptions).filter((o) => !first.has(o.value));
        select.replaceChildren(...all.map((node) => node.cloneNode(true)), ...picked);
        for (const option of select.options) option.selected = chosenNow.has(option.value);
        status.textContent = typed ? "Ketik minimal 2 huruf untuk mencari unit" : "";
        return;
      }
      asked = new AbortController();
      const url = `${select.dataset.cariUrl}&q=${encodeURIComponent(typed)}`;
      fetch(url, { signal: asked.signal, headers: { Accept: "text/html" }, redirect: "manual" })
        .then((response) => {
          // Signed out, the answer is a redirect to the login page (opaque here), not units.
          if (response.ok) return response.text();
          const signedOut = response.type === "opaqueredirect" || response.status === 403;
          return Promise.reject(new Error(signedOut ? "sesi" : "gagal"));
        })
        .then((html) => {
          const found = document.createElement("template");
          found.innerHTML = html;
          const chosen = new Set(Array.from(select.selectedOptions, (option) => option.value));
          const kept = Array.from(select.options).filter(
            (option) => option.value === "" || chosen.has(option.value),
          );
          const added = Array.from(found.content.querySelectorAll("option")).filter(
            (option) => !chosen.has(option.value),
          );
          select.replaceChildren(...kept, ...added);
          for (const option of select.options) option.selected = chosen.has(option.value);
          if (!added.length) status.textContent = "Tidak ada unit yang cocok";
          else if (added.length >= 20) // pegawai.models.UNIT_CARI_HASIL, the most it answers
            status.textContent = "20 teratas; ketik lebih lengkap untuk mempersempit";
          else status.textContent = `${added.length} unit cocok`;
          answered = typed;
          if (pickWhenAnswered && added.length) pickFirst();
          pickWhenAnswered = false;
        })
        .catch((error) => {
          if (error.name === "AbortError") return;
          pickWhenAnswered = false;
          status.textContent =
            error.message === "sesi"
              ? "Sesi Anda berakhir; muat ulang halaman untuk masuk lagi."
              : "Pencarian unit gagal; coba lagi";
        });
    }
    let timer = null;
    if (select.dataset.cariUrl) {
      box.addEventListener("input", () => {
        clearTimeout(timer);
        answered = null;
        pickWhenAnswered = false;
        timer = setTimeout(() => {
          timer = null;
          ask();
        }, 250);
      });
    } else {
      box.addEventListener("input", narrow);
    }
    box.addEventListener("input", () => status.classList.remove("text-danger", "fw-semibold"));
    // The box is not a field of the form: its own change must not submit a filter form.
    box.addEventListener("change", (event) => event.stopPropagation());
    box.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (select.multiple || !box.value) {
          select.focus();
        } else if (!select.dataset.cariUrl) {
          pickFirst();
        } else if (box.value.trim().length < 2) {
          status.textContent = "Ketik minimal 2 huruf untuk mencari unit";
        } else if (answered === box.value.trim()) {
          pickFirst();
        } else {
          // The answer to what is typed is not here yet: pick from it when it comes.
          // Asked now (again, if a request is under way or failed): its answer is picked from.
          clearTimeout(timer);
          timer = null;
          ask();
          pickWhenAnswered = true;
          status.textContent = "Mencari…";
        }
      }
    });
    select.addEventListener("change", showChosen);
    showChosen();
    if (!select.multiple) {
      // Before htmx or the browser sends the form (capture, on the document).
      document.addEventListener(
        "submit",
        (event) => {
          if (event.target !== select.form || !box.isConnected) return;
          if (event.submitter && event.submitter.formNoValidate) return; // "Tampilkan sub-unit"
          // Typed and picked agree: the chosen option holds every typed word (an empty choice,
          // "Semua unit", or a select without one that keeps its first unit, does not).
          const words = plain(box.value).split(/\s+/).filter(Boolean);
          const option = select.selectedOptions[0];
          const text = option && option.value ? searched(option) : "";
          if (!words.length || (text && words.every((word) => text.includes(word)))) return;
          event.preventDefault();
          event.stopPropagation();
          status.textContent = `Pilih ${jenis} dari daftar, atau kosongkan kotak pencarian`;
          status.classList.add("text-danger", "fw-semibold"); // the form did nothing else
          box.focus();
        },
        true,
      );
    }
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[data-cari]:not([data-cari-siap])").forEach(enhance);
  }
  enhanceAll(document);
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
})();
