package statuspage

import "html/template"

var pageTmpl = template.Must(template.New("status").Parse(`<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bussola: stato della pipeline</title>
<style>
 body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 0; color: #1a1a1a; background: #f6f7f9; }
 header { background: #0b3d63; color: #fff; padding: 14px 24px; }
 header h1 { margin: 0; font-size: 1.3rem; }
 header p { margin: 4px 0 0; opacity: .85; font-size: .9rem; }
 main { padding: 16px 24px; max-width: 1100px; }
 table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 16px; }
 th, td { padding: 8px 10px; border-bottom: 1px solid #dde1e6; text-align: right; }
 th:first-child, td:first-child { text-align: left; }
 th { background: #eef1f4; font-weight: 600; }
 .card { background: #fff; padding: 12px; border: 1px solid #dde1e6; }
 .muted { color: #555; font-size: .85rem; }
 a { color: #0b3d63; }
</style>
</head>
<body>
<header><h1>Bussola — stato della pipeline / pipeline status</h1>
<p>Intake → Kafka → ClickHouse. Aggiornamento ogni 2 secondi. Solo totali operativi: nessun dato individuale.</p></header>
<main>
<table id="streams" aria-describedby="streams-caption">
<caption id="streams-caption" class="muted" style="caption-side:bottom;text-align:left">Righe = record interrogabili in ClickHouse; accettati, rifiutati e dead letter contano dall'avvio del processo; lag = messaggi non ancora inseriti e confermati.</caption>
<thead><tr><th scope="col">Flusso / stream</th><th scope="col">Topic</th><th scope="col">Righe</th><th scope="col">Accettati</th><th scope="col">Rifiutati</th><th scope="col">Dead letter</th><th scope="col">Lag</th></tr></thead>
<tbody><tr><td colspan="7">…</td></tr></tbody>
</table>
<p id="overall">Stato / status: <strong id="state">…</strong> <span id="restricted" class="muted" hidden>· I dettagli sono riservati agli amministratori (accesso ai report) e al token delle metriche / details are for administrators (report sign-in) and the metrics token.</span></p>
<p class="muted">Dead letter in ClickHouse: <span id="dl">…</span> · <a href="/reports/">Report</a> · <a href="/metrics">Metriche Prometheus</a></p>
<div class="card">{{.Chart}}</div>
</main>
<script>
(function () {
  var history = {diary: [], survey: [], intranet: []};
  function fmt(n) { return Math.round(n).toLocaleString('it-IT'); }
  function esc(s) { var d = document.createElement('div'); d.textContent = s; return d.innerHTML; }
  function tick() {
    fetch('/status.json').then(function (r) { return r.json(); }).then(function (st) {
      document.getElementById('state').textContent = st.status || (st.streams ? 'ok' : 'non disponibile / unavailable');
      if (!st.streams) { document.getElementById('restricted').hidden = !st.status; return; }
      var rows = st.streams.map(function (s) {
        if (history[s.name]) { history[s.name].push([st.at, s.rows]); if (history[s.name].length > 300) history[s.name].shift(); }
        return '<tr><td>' + esc(s.name) + '</td><td>' + esc(s.topic) + '</td><td>' + fmt(s.rows) + '</td><td>' + fmt(s.accepted) +
          '</td><td>' + fmt(s.rejected) + '</td><td>' + fmt(s.dead_lettered) + '</td><td>' + fmt(s.lag) + '</td></tr>';
      });
      document.querySelector('#streams tbody').innerHTML = rows.join('');
      document.getElementById('dl').textContent = fmt(st.dead_letters);
      // go-echarts declares its instance with let: a global binding, not a window property.
      if (typeof goecharts_ingest !== 'undefined') {
        goecharts_ingest.setOption({series: ['diary', 'survey', 'intranet'].map(function (n) { return {name: n, data: history[n]}; })});
      }
    }).catch(function () {});
  }
  tick();
  setInterval(tick, 2000);
})();
</script>
</body>
</html>
`))
