/* Draws the case page's charts from the JSON the server embedded with
 * json_script. The tables next to each chart carry the same figures, so the
 * page says everything without this script; it only adds the pictures. */
(function () {
  "use strict";

  var root = document.documentElement;

  // Colours keep at least 3:1 against the white card (WCAG 1.4.11).
  var SERIES = {
    used: "#7b2d6b",
    not_used: "#b4540f",
    unknown: "#767384",
    supports: "#2e7138",
    opposes: "#b3261e",
    wishes_had: "#1d6b8a",
    neutral: "#767384"
  };
  var CYCLE = ["#7b2d6b", "#1d6b8a", "#b4540f", "#2e7138", "#5b4fa3", "#8a6a00"];

  function colour(key, index) {
    return SERIES[key] || CYCLE[index % CYCLE.length];
  }

  // Long category names break into lines instead of being cut off on a
  // phone; Chart.js draws an array label as one line per item.
  function wrap(label, width) {
    var words = String(label).split(" ");
    var lines = [""];
    words.forEach(function (word) {
      var last = lines.length - 1;
      if (lines[last] && (lines[last] + " " + word).length > width) {
        lines.push(word);
      } else {
        lines[last] = lines[last] ? lines[last] + " " + word : word;
      }
    });
    return lines.length === 1 ? lines[0] : lines;
  }

  function readSpec(canvas) {
    var holder = document.getElementById(canvas.getAttribute("data-chart-data"));
    return holder ? JSON.parse(holder.textContent) : null;
  }

  function config(spec) {
    var reduceMotion = window.matchMedia &&
      window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var valueAxis = spec.indexAxis === "y" ? "x" : "y";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: spec.stacked,
      ticks: { precision: 0, color: "#3d3a47" },
      grid: { color: "#e4e1ea" }
    };
    scales[spec.indexAxis === "y" ? "y" : "x"] = {
      stacked: spec.stacked,
      ticks: { color: "#3d3a47" },
      grid: { display: false }
    };
    return {
      type: spec.type,
      data: {
        labels: spec.indexAxis === "y"
          ? spec.labels.map(function (label) { return wrap(label, 16); })
          : spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          var fill = dataset.colorKeys
            ? dataset.colorKeys.map(function (key, i) { return colour(key, i); })
            : colour(dataset.key, index);
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: fill,
            borderWidth: 0,
            maxBarThickness: 48
          };
        })
      },
      options: {
        indexAxis: spec.indexAxis,
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 400 },
        scales: scales,
        plugins: {
          legend: {
            display: spec.datasets.length > 1,
            position: "bottom",
            labels: { color: "#1d1a24", boxWidth: 14 }
          }
        }
      }
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    root.classList.add("charts-ready");
    window.Chart.defaults.font.family =
      'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    var canvases = document.querySelectorAll("canvas[data-chart-data]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var spec = readSpec(canvas);
      if (!spec) {
        return;
      }
      new window.Chart(canvas, config(spec));
      canvas.setAttribute("data-chart-drawn", "true");
      // With a chart drawn, its table folds away behind its summary.
      var figure = canvas.closest("figure");
      var details = figure && figure.querySelector("details.chart__table");
      if (details) {
        details.removeAttribute("open");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
