/* Draws the case page's charts from the JSON the server embedded with
 * json_script. The tables next to each chart carry the same figures, so the
 * page says everything without this script; it only adds the pictures. */
(function () {
  "use strict";

  var root = document.documentElement;

  // One palette per meaning, and no colour in two palettes: plum always
  // means "used an IC", never an award body or a stance. Colours keep at
  // least 3:1 against the white card (WCAG 1.4.11).
  var PALETTES = {
    ic_status: {
      used: "#7b2d6b",
      not_used: "#b4540f",
      unknown: "#767384"
    },
    stance: {
      supports: "#2e7138",
      opposes: "#b3261e",
      wishes_had: "#1d6b8a",
      neutral: "#5c6b4f"
    },
    // Award bodies have no fixed key: they take these in order.
    award_body: ["#3b4ba8", "#8a6a00", "#0f6e6e", "#a0347f", "#4d5a12", "#6a4c93"]
  };

  function colour(palette, key, index) {
    var colours = PALETTES[palette] || PALETTES.award_body;
    if (Array.isArray(colours)) {
      return colours[index % colours.length];
    }
    return colours[key] || PALETTES.award_body[index % PALETTES.award_body.length];
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
    var indexScale = {
      stacked: spec.stacked,
      ticks: { color: "#3d3a47" },
      grid: { display: false }
    };
    if (spec.yearAxis) {
      // Years are numbers on a linear axis: a gap of ten years looks like
      // one, and years with no record still take their place.
      indexScale.type = "linear";
      indexScale.offset = true;
      indexScale.ticks.stepSize = 1;
      indexScale.ticks.precision = 0;
      indexScale.ticks.callback = function (value) { return String(value); };
    }
    scales[spec.indexAxis === "y" ? "y" : "x"] = indexScale;
    return {
      type: spec.type,
      data: {
        labels: spec.labels && (spec.indexAxis === "y"
          ? spec.labels.map(function (label) { return wrap(label, 16); })
          : spec.labels),
        datasets: spec.datasets.map(function (dataset, index) {
          var fill = dataset.colorKeys
            ? dataset.colorKeys.map(function (key, i) {
                return colour(spec.palette, key, i);
              })
            : colour(spec.palette, dataset.key, index);
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
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? String(items[0].label) : "";
              }
            }
          },
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
