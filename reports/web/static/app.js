// Bussola reports: draws every chart from the option JSON the server
// embedded next to it, wires drill-down, filter auto-submit and printing.
// Loaded from the application itself; no inline script, no other host.
(function () {
  "use strict";
  var instances = [];
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function drillTo(param, value) {
    var url = new URL(window.location.href);
    url.searchParams.set(param, value);
    window.location.assign(url.toString());
  }
  ready(function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart") + "-opt");
      if (!src || typeof echarts === "undefined") { return; }
      var option = JSON.parse(src.textContent);
      var rows = parseInt(el.getAttribute("data-rows") || "0", 10);
      if (rows > 8) { el.style.height = (140 + 24 * rows) + "px"; } // room for every row label
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      instances.push(chart);
      var param = el.getAttribute("data-drill");
      if (param) {
        chart.on("click", function (p) {
          var value = p.name;
          if (p.seriesType === "heatmap") {
            var y = Array.isArray(option.yAxis) ? option.yAxis[0] : option.yAxis;
            value = y.data[p.value[1]];
          } else {
            var cat = option.yAxis && (Array.isArray(option.yAxis) ? option.yAxis[0] : option.yAxis);
            if (cat && cat.type === "category" && cat.data) { value = cat.data[p.dataIndex]; }
          }
          if (value) { drillTo(param, value); }
        });
      }
    });
    window.bussolaCharts = instances;
    window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { instances.forEach(function (c) { c.resize(); }); });
    var form = document.querySelector("form.filters");
    if (form) {
      form.querySelectorAll("select, input[type=date]").forEach(function (el) {
        el.addEventListener("change", function () { form.requestSubmit(); });
      });
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
