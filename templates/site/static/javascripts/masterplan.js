/* The site's few scripts, plain JavaScript over what the page already holds:
   - a table or chart wider than the screen scrolls in its own box: the box is made reachable by
     keyboard and named after its caption while it overflows;
   - the programme catalogue: filters, text search, sorting; its state is kept in the address, so
     that a filtered list can be shared (the text as "cari": the theme's own search answers "q");
   - the achievement pages: "only below target" and pillar filters.
   Without JavaScript every table is complete and the filter forms stay hidden. */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* --- boxes that scroll sideways -------------------------------------------------------- */
  function scrollBoxes() {
    each(document.querySelectorAll(".mp-scroll, .mp-chart"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption, figcaption");
        box.setAttribute("tabindex", "0");
        if (box.tagName !== "FIGURE") box.setAttribute("role", "region");  /* a figure is named as it is */
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Tabel") + " (geser ke samping)");
        box.dataset.scrolls = "1";
      } else if (box.dataset.scrolls) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrolls;
      }
    });
  }

  /* --- the address holds the state of a filter form ---------------------------------------- */
  function restore(form) {
    new URLSearchParams(location.search).forEach(function (value, name) {
      var field = form.elements[name];
      if (!field) return;
      if (field.type === "checkbox") field.checked = value === field.value;
      else field.value = value;
    });
  }

  function remember(form) {
    var params = new URLSearchParams();
    each(form.elements, function (field) {
      if (!field.name || field.type === "submit" || field.type === "reset") return;
      if (field.type === "checkbox") { if (field.checked) params.set(field.name, field.value); }
      else if (field.value.trim()) params.set(field.name, field.value.trim());
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function watch(form, apply) {
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
  }

  /* --- the programme catalogue ------------------------------------------------------------ */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function rupiah(n) { return "Rp\u00a0" + n.toLocaleString("id-ID"); }

  function catalogue() {
    var form = byId("mp-filters"), data = byId("mp-programmes"), table = byId("mp-catalogue");
    if (!form || !data || !table || form.dataset.ready) return;
    form.dataset.ready = "1";
    var records = {};
    JSON.parse(data.textContent).forEach(function (p) {
      p.folded = fold(p.text);
      p.joined = p.folded.replace(/[^a-z0-9\s]+/g, "");  /* "wi-fi" is also "wifi" */
      records[p.id] = p;
    });
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = byId("mp-count"), empty = byId("mp-empty");
    var elementSelect = form.elements.elemen;
    var order = { planned: 0, ongoing: 1, done: 2, dropped: 3 };

    function narrowElements(pillar) {
      each(elementSelect.querySelectorAll("optgroup"), function (group) {
        var off = !!pillar && group.dataset.pillar !== pillar;
        group.hidden = off;
        group.disabled = off;
      });
      var chosen = elementSelect.selectedOptions[0];
      if (chosen && chosen.value && chosen.parentNode.disabled) elementSelect.value = "";
    }

    function matches(p, f) {
      if (f.cari) {
        var words = fold(f.cari).split(/\s+/).filter(Boolean);
        var ok = words.every(function (w) {
          return p.folded.indexOf(w) >= 0 || p.joined.indexOf(w.replace(/[^a-z0-9]+/g, "")) >= 0;
        });
        if (!ok) return false;
      }
      if (f.pilar && p.pillar !== f.pilar) return false;
      if (f.elemen && p.element !== f.elemen) return false;
      if (f.opd && p.lead !== f.opd && p.partners.indexOf(f.opd) < 0) return false;
      if (f.lokasi === "kota" && p.locations.length) return false;
      if (f.lokasi && f.lokasi !== "kota" && p.locations.indexOf(f.lokasi) < 0) return false;
      if (f.tahun && p.years.indexOf(Number(f.tahun)) < 0) return false;
      if (f.status && p.status !== f.status) return false;
      if (f.jenis && p.kind !== f.jenis) return false;
      if (f.qw && !p.quick_win) return false;
      return true;
    }

    function compare(key) {
      return function (a, b) {
        var p = records[a.dataset.id], q = records[b.dataset.id], d = 0;
        if (key === "judul") d = p.title.localeCompare(q.title, "id");
        else if (key === "opd") d = p.lead_name.localeCompare(q.lead_name, "id");
        else if (key === "anggaran") d = q.budget - p.budget;
        else if (key === "anggaran-naik") d = p.budget - q.budget;
        else if (key === "status") d = order[p.status] - order[q.status];
        return d || p.order - q.order;
      };
    }

    function apply() {
      var f = {};
      new FormData(form).forEach(function (v, k) { f[k] = String(v).trim(); });
      narrowElements(f.pilar);
      f.elemen = elementSelect.value;
      var shown = 0, total = 0;
      rows.slice().sort(compare(f.urut || "")).forEach(function (row) {
        var p = records[row.dataset.id], ok = !!p && matches(p, f);
        row.hidden = !ok;
        if (ok) { shown++; total += p.budget; }
        body.appendChild(row);
      });
      count.textContent = (shown === rows.length ? shown + " program" : shown + " dari " + rows.length + " program") +
        " · " + rupiah(total);
      empty.hidden = shown > 0;
      table.hidden = shown === 0;
      remember(form);
    }

    restore(form);
    watch(form, apply);
    apply();
  }

  /* --- the achievement of a year: KPIs below target, by pillar --------------------------- */
  function kpiFilter() {
    var form = byId("mp-kpi-filter");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var tables = document.querySelectorAll("table.mp-kpi-lines");
    var count = byId("mp-kpi-count"), empty = byId("mp-kpi-empty");

    function apply() {
      var below = form.elements.bawah.checked, pillar = form.elements.pilar.value, shown = 0, total = 0;
      each(tables, function (table) {
        var visible = 0;
        each(table.tBodies[0].rows, function (row) {
          if (!row.dataset.kpi) return;
          total++;
          var ok = (!below || row.dataset.below === "true") && (!pillar || row.dataset.pillar === pillar);
          row.hidden = !ok;
          if (ok) visible++;
        });
        shown += visible;
        var box = table.closest(".mp-scroll") || table, heading = box.previousElementSibling;
        box.hidden = visible === 0;
        if (heading && /^H[23]$/.test(heading.tagName)) heading.hidden = visible === 0;
      });
      count.textContent = shown === total ? total + " indikator" : shown + " dari " + total + " indikator";
      empty.hidden = shown > 0;
      remember(form);
    }

    restore(form);
    watch(form, apply);
    apply();
  }

  var resizing = 0;
  function init() {
    catalogue();
    kpiFilter();
    scrollBoxes();
  }
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(scrollBoxes, 150);
  });
  if (window.document$) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
