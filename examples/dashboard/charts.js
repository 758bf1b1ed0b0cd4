// Thin wrappers around uPlot (vendor/uPlot.iife.min.js, the global `uPlot`): a rolling time
// series and a bar chart, both resized with their container.
// Why uPlot: about 50 KB, no dependencies, draws thousands of points on canvas in well under a
// millisecond per update, and is made for streaming time series (setData on every message).
(function (rtd) {
  "use strict";

  // Mid greys stay readable on both the light and the dark background.
  const AXIS_COLOR = "#8a8f98";
  const GRID = { stroke: "rgba(138, 143, 152, 0.22)", width: 1 };

  function chartsAvailable() {
    return typeof globalThis.uPlot === "function";
  }

  function placeholder(container) {
    container.classList.add("chart-missing");
    container.textContent = "Chart unavailable: vendor/uPlot.iife.min.js did not load.";
  }

  function axis(format, size, space) {
    const options = { stroke: AXIS_COLOR, grid: GRID, ticks: GRID, size };
    if (space) options.space = space; // an undefined option would override uPlot's default
    if (format) options.values = (chart, values) => values.map(format);
    return options;
  }

  // One line of wall-clock time per tick (uPlot's default adds a date line that small charts
  // clip), on whole seconds so that no two ticks read the same.
  const TIME_TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  function timeAxis() {
    const options = axis((seconds) => new Date(seconds * 1000).toLocaleTimeString(), 30, 80);
    options.incrs = TIME_TICK_STEPS_S;
    return options;
  }

  /** Keeps a uPlot chart as wide as its container. */
  function followWidth(chart, container, height) {
    const observer = new ResizeObserver(() => {
      const width = Math.floor(container.clientWidth);
      if (width > 0 && width !== chart.width) chart.setSize({ width, height });
    });
    observer.observe(container);
    return observer;
  }

  /** A time chart keeping the last `windowSize` points of each series. */
  class RollingChart {
    /**
     * @param container element the chart fills (its width is followed)
     * @param series    [{label, color}] one per y value
     * @param options   {height, windowSize, format: y value formatter}
     */
    constructor(container, series, { height = 140, windowSize = 120, format } = {}) {
      this.container = container;
      this.windowSize = windowSize;
      this.data = [[], ...series.map(() => [])];
      this.points = 0;
      if (!chartsAvailable()) return placeholder(container);
      this.chart = new uPlot({
        width: Math.max(container.clientWidth, 200),
        height,
        legend: { show: false }, // the table and captions say what each line is
        cursor: { drag: { x: false, y: false } }, // zooming would be undone by the next update
        scales: { x: { time: true } },
        axes: [timeAxis(), axis(format, 64)],
        series: [{}, ...series.map(({ label, color }) => ({
          label, stroke: color, width: 2, points: { show: false },
          value: format ? (chart, value) => format(value) : undefined,
        }))],
      }, this.data, container);
      followWidth(this.chart, container, height);
    }

    /** Puts older points (times `xs`, one column of values per series) before the others,
     *  keeping the newest `windowSize`. */
    prepend(xs, columns) {
      this.data = this.data.map((column, i) => [...(i === 0 ? xs : columns[i - 1]), ...column]
        .slice(-this.windowSize));
      this.points += xs.length;
      this.container.dataset.points = String(this.points);
      if (this.chart) this.chart.setData(this.data);
    }

    /** Appends one point per series at time `x` (seconds), dropping the oldest beyond the window. */
    push(x, values) {
      this.data[0].push(x);
      values.forEach((value, i) => this.data[i + 1].push(value));
      if (this.data[0].length > this.windowSize) this.data.forEach((column) => column.shift());
      this.points += 1;
      this.container.dataset.points = String(this.points);
      if (this.chart) this.chart.setData(this.data);
    }
  }

  /** A bar chart of `counts` over bins delimited by `edges` (edges.length == counts.length + 1). */
  function histogram(container, { edges, counts, label, color, formatX, height = 180 }) {
    container.dataset.bins = String(counts.length);
    if (!chartsAvailable()) return placeholder(container);
    const centres = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
    const chart = new uPlot({
      width: Math.max(container.clientWidth, 200),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => [edges[0], edges[edges.length - 1]] },
        y: { range: (chart, min, max) => [0, max * 1.1 || 1] },
      },
      axes: [axis(formatX, 30, 70), axis(null, 56)],
      series: [{}, {
        label, stroke: color, fill: color, width: 1,
        paths: uPlot.paths.bars({ size: [0.9, Infinity] }),
        points: { show: false },
      }],
    }, [centres, counts], container);
    followWidth(chart, container, height);
  }

  rtd.charts = { RollingChart, histogram };
})(globalThis.rtd ??= {});
