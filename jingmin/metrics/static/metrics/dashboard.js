/* The indicator charts and the sortable table. Chart data come from data- attributes (JSON) or
   from the trend endpoint; every figure is also in a table, so the page reads without this. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function draw(el, option) {
    if (!window.echarts) return;
    var chart = window.echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function bar(el, cfg) {
    draw(el, {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: cfg.names.slice().reverse() },
      series: [{ type: "bar", name: cfg.title, data: cfg.values.slice().reverse(), label: { show: true, position: "right" } }]
    });
  }

  function grouped(el, cfg) {
    draw(el, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: cfg.names },
      yAxis: { type: "value", max: 100 },
      series: cfg.series.map(function (s) { return { type: "bar", name: s.name, data: s.values }; })
    });
  }

  function trend(el) {
    fetch(el.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        draw(el, {
          tooltip: { trigger: "axis" },
          legend: { top: 0 },
          grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: data.months },
          yAxis: { type: "value", max: 100 },
          series: data.series.map(function (s) { return { type: "line", name: s.name, data: s.values, connectNulls: false }; })
        });
      });
  }

  function sortable(table) {
    var heads = table.querySelectorAll("th[data-sort]");
    heads.forEach(function (th, index) {
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          if (th.dataset.sort === "number") {
            var nx = x.dataset.value === "" ? -Infinity : parseFloat(x.dataset.value);
            var ny = y.dataset.value === "" ? -Infinity : parseFloat(y.dataset.value);
            return asc ? nx - ny : ny - nx;
          }
          return asc ? x.textContent.localeCompare(y.textContent) : y.textContent.localeCompare(x.textContent);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  }

  ready(function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.dataset.chart;
      if (kind === "trend") trend(el);
      else if (kind === "bar") bar(el, JSON.parse(el.dataset.config));
      else if (kind === "deadline") grouped(el, JSON.parse(el.dataset.config));
    });
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
  });
})();
