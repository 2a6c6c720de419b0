// Draws the survey result charts with ECharts. Each chart is an element with a `data-chart`
// attribute holding {title, labels, values}; the table beside it stays for readers without script.
(function () {
  "use strict";
  function draw(el) {
    if (!window.echarts) { return; }
    var spec;
    try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: spec.labels, inverse: true },
      series: [{ type: "bar", data: spec.values, label: { show: true, position: "right" } }]
    });
    el.classList.add("drawn");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
