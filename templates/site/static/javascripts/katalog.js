/* Programme catalogue filters: plain JavaScript over the data embedded in the page.
   Without JavaScript the full table stays visible. */
(function () {
  function init() {
    var form = document.getElementById("mp-filters");
    var data = document.getElementById("mp-programmes");
    var table = document.getElementById("mp-catalogue");
    if (!form || !data || !table || form.dataset.ready) return;
    form.dataset.ready = "1";
    var programmes = {};
    JSON.parse(data.textContent).forEach(function (p) {
      p.text = (p.title + " " + p.summary + " " + p.description).toLowerCase();
      programmes[p.id] = p;
    });
    var rows = table.tBodies[0].rows;
    var count = document.getElementById("mp-count");
    function apply() {
      var f = new FormData(form), q = (f.get("q") || "").toLowerCase().trim(), shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var p = programmes[rows[i].dataset.id], ok = !!p;
        if (ok && q) ok = q.split(/\s+/).every(function (w) { return p.text.indexOf(w) >= 0; });
        if (ok && f.get("pillar")) ok = p.pillar === f.get("pillar");
        if (ok && f.get("element")) ok = p.element === f.get("element");
        if (ok && f.get("opd")) ok = p.lead === f.get("opd") || p.partners.indexOf(f.get("opd")) >= 0;
        if (ok && f.get("year")) ok = p.years.indexOf(Number(f.get("year"))) >= 0;
        if (ok && f.get("status")) ok = p.status === f.get("status");
        if (ok && f.get("kind")) ok = p.kind === f.get("kind");
        if (ok && f.get("quick_win")) ok = p.quick_win;
        rows[i].hidden = !ok;
        if (ok) shown++;
      }
      count.textContent = shown + " dari " + rows.length + " program";
    }
    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var params = new URLSearchParams(location.search);
    params.forEach(function (v, k) { if (form.elements[k]) form.elements[k].value = v; });
    apply();
  }
  if (window.document$) { window.document$.subscribe(init); } else { document.addEventListener("DOMContentLoaded", init); }
})();
