// The activity form's JP preview: the JP its form's rule gives the quantity entered (the
// server works it out again on submission; this only shows it while typing).
(function () {
  "use strict";
  const data = document.getElementById("aturan-jp");
  const out = document.getElementById("jp-pratinjau");
  const form = out && out.closest("form");
  if (!data || !form) return;
  const rules = new Map(JSON.parse(data.textContent).map((r) => [String(r.jenis), r]));
  const field = (name) => form.elements.namedItem(name);

  function days() {
    const start = Date.parse(field("tanggal_mulai").value);
    const end = Date.parse(field("tanggal_selesai").value);
    if (Number.isNaN(start) || Number.isNaN(end) || end < start) return null;
    return Math.round((end - start) / 86400000) + 1;
  }

  function update() {
    const rule = rules.get(field("jenis").value);
    const ownJp = field("jp").value;
    const jumlahField = field("jumlah");
    if (rule) jumlahField.placeholder = `jumlah ${rule.satuan}`;
    if (!rule || (ownJp && !rule.nonklasikal)) {
      out.hidden = true;
      return;
    }
    let jumlah = parseFloat(jumlahField.value.replace(",", "."));
    if (Number.isNaN(jumlah) && rule.satuan === "hari") jumlah = days();
    if (!jumlah) {
      out.hidden = false;
      out.textContent = `Isi jumlah ${rule.satuan}: ${rule.nama} dihitung ${rule.per} JP per ${rule.satuan}.`;
      return;
    }
    const per = field("skala").value === "internasional" ? rule.per_internasional : rule.per;
    let jp = Math.round(jumlah * per);
    let text = `${jumlah} ${rule.satuan} × ${per} JP = ${jp} JP`;
    if (rule.batas_kegiatan && jp > rule.batas_kegiatan) {
      jp = rule.batas_kegiatan;
      text += `, dibatasi ${jp} JP per kegiatan`;
    }
    if (rule.batas_tahun) text += `; paling banyak ${rule.batas_tahun} JP ${rule.nama} per tahun`;
    out.hidden = false;
    out.textContent = `${text}. Dihitung setelah diverifikasi.`;
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
