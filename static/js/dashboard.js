/* The leaders' dashboard: four ECharts charts drawn from the json_script "dashboard-data".
   Every bar and point carries the ledger link of the measures it counts; clicking opens it.
   No strings of its own: the words come from the server, translated.
   Names (departments, sources) are data: every tooltip is built as DOM nodes with textContent,
   never as an HTML string, so a name like <img onerror=…> stays text. The tooltips also carry
   no style attributes, which the Content-Security-Policy would refuse. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var text = data.text || {};
  var charts = [];
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  // A tooltip as DOM nodes: an optional title line, then one line per [colour, name, value].
  function tip(title, lines) {
    var box = document.createElement("div");
    box.className = "dash-tip";
    if (title !== null && title !== undefined) {
      var head = document.createElement("div");
      head.className = "dash-tip-title";
      head.textContent = String(title);
      box.appendChild(head);
    }
    lines.forEach(function (line) {
      var row = document.createElement("div");
      if (line[0]) {
        var dot = document.createElement("span");
        dot.className = "dash-tip-dot";
        dot.style.backgroundColor = line[0];  // CSSOM, not a style attribute: allowed by the CSP
        row.appendChild(dot);
      }
      row.appendChild(document.createTextNode(String(line[1])));
      if (line.length > 2) {
        var value = document.createElement("b");
        value.className = "dash-tip-value";
        value.textContent = String(line[2]);
        row.appendChild(value);
      }
      box.appendChild(row);
    });
    return box;
  }

  // The tooltip of an axis-triggered chart: the category, then each series' value.
  function axisTip(params) {
    var list = Array.isArray(params) ? params : [params];
    return tip(list.length ? list[0].name : "", list.map(function (p) {
      return [p.color, p.seriesName, p.value === undefined || p.value === null ? "-" : p.value];
    }));
  }

  // Each chart is drawn in a task of its own (drawQueued, at the end), not all four in one:
  // on a phone's CPU one chart takes a fraction of a second, and the page answers a tap in
  // between. Each is drawn at its element's size, so no resize follows on a narrow screen
  // (it drew all four a second time: half the dashboard's script time on a phone).
  var queue = [];
  function make(id, option) { queue.push(function () { draw(id, option); }); }

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    if (el.dataset.bars) { el.style.setProperty("--bars", el.dataset.bars); }
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.textStyle = { fontFamily: FONT };
    // Drawn at once, without the bars' grow animation: its frames were a third of the
    // dashboard's main-thread time on a phone, for decoration.
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) { window.location.href = url; }
    });
    charts.push({ chart: chart, el: el, id: id });
    return chart;
  }

  // The status legend wraps on narrow charts: leave room for its rows above the bars.
  function legendRows(el, width) {
    var w = width || (el ? el.clientWidth : 600);
    return w < 360 ? 3 : (w < 560 ? 2 : 1);
  }

  function grid(extra) {
    return Object.assign({ left: 8, right: 16, top: 36, bottom: 8, containLabel: true }, extra || {});
  }

  // 1. Measures by source and status: stacked bars.
  var bySource = data.by_source;
  make("chart-source", {
    color: bySource.series.map(function (s) { return s.color; }),
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, formatter: axisTip },
    legend: { type: "plain", top: 0, left: "center", itemWidth: 12, itemHeight: 10, itemGap: 8, textStyle: { fontSize: 11 } },
    grid: grid({ top: legendRows(document.getElementById("chart-source")) * 18 + 12 }),
    xAxis: { type: "category", data: bySource.categories, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: "value", minInterval: 1 },
    series: bySource.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "status", barMaxWidth: 48, data: s.data, cursor: "pointer" };
    })
  });

  // 2. Completion by lead department: ranked horizontal bars, coloured by the overdue count.
  var depts = data.departments;
  make("chart-departments", {
    tooltip: {
      trigger: "item", confine: true,
      formatter: function (p) {
        var d = p.data;
        return tip(p.name, [
          [null, text.completion + " " + d.value.toFixed(1) + "%"],
          [null, text.done_of_total.replace("{done}", d.done).replace("{total}", d.total)],
          [null, text.overdue + " " + d.overdue]
        ]);
      }
    },
    grid: grid({ top: 8, right: 52 }),
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%", fontSize: 11 } },
    yAxis: { type: "category", inverse: true, data: depts.categories, axisLabel: { fontSize: 11 } },
    series: [{
      type: "bar", barMaxWidth: 18, cursor: "pointer",
      data: depts.data.map(function (d) { return Object.assign({}, d, { itemStyle: { color: d.color } }); }),
      label: { show: true, position: "right", fontSize: 11, formatter: function (p) { return p.value.toFixed(1) + "%"; } }
    }]
  });

  // 3. Measures signed off per month across the campaign: a line.
  var closed = data.closed;
  make("chart-closed", {
    color: ["#1f4e8c"],
    tooltip: { trigger: "axis", confine: true, formatter: axisTip },
    grid: grid({ top: 20 }),
    xAxis: { type: "category", data: closed.labels, boundaryGap: true, axisLabel: { fontSize: 11 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{
      name: text.signed_off, type: "line", data: closed.data, cursor: "pointer",
      symbolSize: 8, areaStyle: { opacity: 0.12 }, label: { show: true, position: "top", fontSize: 10 }
    }]
  });

  // 4. Overdue measures by days overdue: buckets.
  var overdue = data.overdue;
  make("chart-overdue", {
    color: [overdue.color],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, formatter: axisTip },
    grid: grid({ top: 20 }),
    xAxis: { type: "category", data: overdue.labels, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{
      name: text.overdue, type: "bar", barMaxWidth: 56, data: overdue.data, cursor: "pointer",
      label: { show: true, position: "top", fontSize: 11 }
    }]
  });

  function relayout(c, width) {
    if (c.id === "chart-source") {
      c.chart.setOption({ grid: { top: legendRows(c.el, width) * 18 + 12 } });
    }
  }
  function resizeAll() { charts.forEach(function (c) { relayout(c); c.chart.resize(); }); }
  window.addEventListener("resize", resizeAll);

  // Printing: draw each chart at the size the print stylesheet gives it (two per row on A4).
  function printSize() {
    charts.forEach(function (c) {
      var tall = c.id === "chart-departments";
      relayout(c, 318);
      c.chart.resize({ width: 318, height: tall ? Math.min(210, 30 + 15 * depts.categories.length) : 170, animation: { duration: 0 } });
    });
  }
  window.addEventListener("beforeprint", printSize);
  window.addEventListener("afterprint", resizeAll);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { printSize(); } else { resizeAll(); } };
    if (mq.addEventListener) { mq.addEventListener("change", onChange); }
  }
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  (function drawQueued() {
    var job = queue.shift();
    if (job) { job(); setTimeout(drawQueued, 0); }
  })();
})();
