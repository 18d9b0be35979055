// Bussola reports: draws every chart from the option JSON the server
// embedded next to it, in the page's language (numbers, dates, per cent),
// keeps charts as wide as their card, wires drill-down and printing.
// Filters change only with the form's Apply button (no reload on change).
// Loaded from the application itself; no inline script, no other host.
(function () {
  "use strict";
  var instances = [];
  var lang = document.documentElement.lang === "en" ? "en-GB" : "it-IT";
  var isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function drillTo(param, value) {
    var url = new URL(window.location.href);
    url.searchParams.set(param, value);
    window.location.assign(url.toString());
  }
  // number formats x the page's way: 1.234,5 in Italian, 1,234.5 in English.
  function number(x) {
    var max = Math.abs(x) >= 100 ? 1 : 2;
    return new Intl.NumberFormat(lang, { maximumFractionDigits: max, useGrouping: "always" }).format(x);
  }
  // day formats an ISO date (a week's Monday) as 06/01/2025 or 6 Jan 2025.
  function day(s) {
    var m = isoDay.exec(s);
    if (!m) { return s; }
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return lang === "it-IT" ? m[3] + "/" + m[2] + "/" + m[1]
      : new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(d);
  }
  function list(x) { return x === undefined ? [] : (Array.isArray(x) ? x : [x]); }
  // localise sets formatters on every axis, tooltip and data label the
  // option does not format itself. unit "%" appends a per cent sign.
  function localise(option, unit, narrow) {
    var suffix = unit === "%" ? "%" : "";
    var value = function (v) {
      if (Array.isArray(v)) { v = v[v.length - 1]; }
      if (typeof v !== "number") { return v === "-" || v === undefined || v === null ? "–" : String(v); }
      return number(v) + suffix;
    };
    ["xAxis", "yAxis"].forEach(function (k) {
      list(option[k]).forEach(function (ax) {
        ax.axisLabel = ax.axisLabel || {};
        if (ax.axisLabel.formatter) { return; }
        if (ax.type === "category" || (ax.type === undefined && (ax.data || k === "xAxis"))) {
          ax.axisLabel.formatter = function (s) { return day(String(s)); };
          // On a phone, slanted labels under the plot instead of overlapping ones.
          var longest = (ax.data || []).reduce(function (n, d) { return Math.max(n, String(d).length); }, 0);
          if (narrow && k === "xAxis" && ax.data && ax.data.length > 3 && longest > 4 && ax.axisLabel.rotate === undefined) { ax.axisLabel.rotate = 35; }
        } else {
          ax.axisLabel.formatter = function (v) { return number(v) + suffix; };
        }
      });
    });
    var tip = option.tooltip = option.tooltip || {};
    (Array.isArray(tip) ? tip : [tip]).forEach(function (t) {
      if (!t.valueFormatter) { t.valueFormatter = value; }
    });
    list(option.series).forEach(function (s) {
      if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = function (p) { return value(p.value); };
      }
    });
    list(option.visualMap).forEach(function (m) {
      if (!m.formatter) { m.formatter = function (v) { return number(v) + suffix; }; }
    });
    list(option.dataZoom).forEach(function (z) {
      if (z.type === "slider" && !z.labelFormatter) { z.labelFormatter = function (_, s) { return day(String(s)); }; }
    });
    // Category tooltips show the axis value: weeks as dates.
    if (!Array.isArray(tip) && tip.trigger === "axis" && !tip.formatter) {
      tip.axisPointer = tip.axisPointer || {};
      tip.axisPointer.label = { formatter: function (p) { return day(String(p.value)); } };
    }
    if (narrow && option.toolbox && option.legend) {
      // On a phone the legend takes the whole first row and the tools the
      // second, so that neither covers the other.
      list(option.legend).forEach(function (l) { if (l.top !== undefined) { l.right = 8; } });
      list(option.toolbox).forEach(function (t) { t.top = 26; });
      list(option.grid).forEach(function (g) { g.top = (parseInt(g.top, 10) || 36) + 28; });
    }
    return option;
  }
  // fitLegend gives a top legend beside the toolbox an explicit width:
  // ECharts ignores "right" for a legend's size (it lays legends out with
  // ignoreSize and drops "right" when "left" is set), so a long scroll
  // legend would run under the tools. margin is the room the option left
  // beside the legend (left + right), read once from the option sent.
  function legendMargin(option) {
    if (!option.toolbox) { return ""; }
    var l = list(option.legend)[0];
    if (!l || l.top === undefined || l.right === undefined) { return ""; }
    return String((parseInt(l.right, 10) || 0) + (parseInt(l.left, 10) || 0));
  }
  function fitLegend(chart, el) {
    var margin = el.getAttribute("data-legend-margin");
    if (!margin) { return; }
    chart.setOption({ legend: [{ width: Math.max(80, el.clientWidth - parseInt(margin, 10)) }] });
  }
  // chartsDrawnAt is the time (ms since navigation start) at which every
  // chart of the page had finished its first rendering: the figure
  // benchmark reads (BenchmarkChartsDrawn in reports).
  var pending = -1;
  function chartDrawn() {
    if (--pending === 0) {
      window.bussolaChartsDrawnAt = performance.now();
    }
  }
  ready(function () {
    pending = document.querySelectorAll("[data-chart]").length;
    if (pending === 0) { window.bussolaChartsDrawnAt = performance.now(); }
    var observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(function (entries) {
      entries.forEach(function (e) { var c = echarts.getInstanceByDom(e.target); if (c) { c.resize(); fitLegend(c, e.target); } });
    });
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart") + "-opt");
      if (!src || typeof echarts === "undefined") { chartDrawn(); return; }
      var option = JSON.parse(src.textContent);
      var rows = parseInt(el.getAttribute("data-rows") || "0", 10);
      if (rows > 8) { el.style.height = (140 + 24 * rows) + "px"; } // room for every row label
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.on("finished", function drawn() { chart.off("finished", drawn); chartDrawn(); });
      chart.setOption(localise(option, el.getAttribute("data-unit") || "", el.clientWidth < 520));
      var margin = legendMargin(option);
      if (margin) { el.setAttribute("data-legend-margin", margin); fitLegend(chart, el); }
      instances.push(chart);
      if (observer) { observer.observe(el); } // the card narrows or widens: so does the chart
      var param = el.getAttribute("data-drill");
      // The categories show display names; data-keys holds the identifiers.
      var keys = el.getAttribute("data-keys") ? JSON.parse(el.getAttribute("data-keys")) : null;
      if (param) {
        chart.on("click", function (p) {
          var value = p.name;
          if (p.seriesType === "heatmap") {
            var y = Array.isArray(option.yAxis) ? option.yAxis[0] : option.yAxis;
            value = keys ? keys[p.value[1]] : y.data[p.value[1]];
          } else {
            var cat = option.yAxis && (Array.isArray(option.yAxis) ? option.yAxis[0] : option.yAxis);
            if (cat && cat.type === "category" && cat.data) { value = keys ? keys[p.dataIndex] : cat.data[p.dataIndex]; }
          }
          if (value) { drillTo(param, value); }
        });
      }
    });
    window.bussolaCharts = instances;
    window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
    // On paper the toolbox's download and zoom icons mean nothing; the
    // PDF export has already hidden them (window.bussolaCharts is then its
    // own list) and only resizes.
    window.addEventListener("beforeprint", function () { instances.forEach(function (c) {
      var tb = c.getOption().toolbox;
      if (tb && tb[0] && tb[0].show !== false) { c.setOption({ toolbox: { show: false }, animation: false }); c.__bussolaTools = true; }
      c.resize({ animation: { duration: 0 } }); }); });
    window.addEventListener("afterprint", function () { instances.forEach(function (c) {
      if (c.__bussolaTools) { c.__bussolaTools = false; c.setOption({ toolbox: { show: true } }); } c.resize(); }); });
    var form = document.querySelector("form.filters");
    if (form) {
      // Keep shared links short: drop empty parameters.
      form.addEventListener("submit", function () {
        form.querySelectorAll("select, input").forEach(function (el) { if (!el.value) { el.disabled = true; } });
      });
    }
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
