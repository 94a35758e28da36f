/* Draw every chart of the page: <div data-chart="ID"> with its figure as JSON in
   <script type="application/json" id="ID">. Also after htmx swaps in new content. */
(function () {
  "use strict";
  function draw(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (div) {
      if (div.dataset.drawn) return;
      var source = document.getElementById(div.dataset.chart);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      div.dataset.drawn = "1";
      Plotly.newPlot(div, figure.data, figure.layout, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ["select2d", "lasso2d"],
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
