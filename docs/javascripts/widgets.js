/* Ridge Lab interactive widgets: self-contained, no libraries.
 *
 * The data of every widget is computed at build time from the reference
 * solutions (docs/hooks/figures.py) and inlined as JSON in
 * <div class="ridge-widget" data-widget="..."><script type="application/json">.
 * This file only draws it: sliders pick precomputed values, SVG shows them.
 *
 * Keyboard and screen readers: every slider is a native range input inside a
 * <label> with visible text (its accessible name); arrow keys move it and
 * aria-valuetext speaks the value, not the index. The readout below the plots
 * is a polite live region, and each plot (role="img") is relabelled on every
 * change with a sentence stating the values it currently shows.
 */
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, parent) {
    var node = document.createElementNS(SVGNS, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, attrs, parent, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmt(v) {
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 0.01 && a < 1000) return String(Number(v.toPrecision(3)));
    return v.toExponential(2);
  }

  /* A small 2-D chart: linear or log10 axes, polylines and dots. */
  function Chart(parent, opts) {
    this.w = opts.width || 420;
    this.h = opts.height || 260;
    this.m = { l: 52, r: 12, t: 22, b: 38 };
    this.opts = opts;
    this.svg = el("svg", {
      viewBox: "0 0 " + this.w + " " + this.h,
      role: "img",
      "aria-label": opts.title,
      class: "rw-chart " + (opts.cls || ""),
    }, parent);
    this.layer = null;
  }

  Chart.prototype.tx = function (v) {
    var o = this.opts, x = o.xlog ? Math.log10(v) : v;
    var lo = o.xlog ? Math.log10(o.x[0]) : o.x[0], hi = o.xlog ? Math.log10(o.x[1]) : o.x[1];
    return this.m.l + (x - lo) / (hi - lo) * (this.w - this.m.l - this.m.r);
  };

  Chart.prototype.ty = function (v) {
    var o = this.opts;
    var y = o.ylog ? Math.log10(Math.max(v, o.y[0])) : v;
    var lo = o.ylog ? Math.log10(o.y[0]) : o.y[0], hi = o.ylog ? Math.log10(o.y[1]) : o.y[1];
    y = Math.min(Math.max(y, lo), hi);
    return this.h - this.m.b - (y - lo) / (hi - lo) * (this.h - this.m.t - this.m.b);
  };

  Chart.prototype.axes = function () {
    var o = this.opts, self = this;
    el("text", { x: this.m.l, y: 14 }, this.svg).textContent = o.title;
    var x0 = this.m.l, x1 = this.w - this.m.r, y0 = this.h - this.m.b, y1 = this.m.t;
    (o.xticks || []).forEach(function (t) {
      var x = self.tx(t);
      el("line", { x1: x, x2: x, y1: y0, y2: y1, class: "rw-grid" }, self.svg);
      var label = el("text", { x: x, y: y0 + 14, "text-anchor": "middle" }, self.svg);
      label.textContent = o.xlog ? "1e" + Math.round(Math.log10(t)) : fmt(t);
    });
    (o.yticks || []).forEach(function (t) {
      var y = self.ty(t);
      el("line", { x1: x0, x2: x1, y1: y, y2: y, class: "rw-grid" }, self.svg);
      var label = el("text", { x: x0 - 6, y: y + 4, "text-anchor": "end" }, self.svg);
      label.textContent = fmt(t);
    });
    el("path", { d: "M" + x0 + "," + y1 + "V" + y0 + "H" + x1, class: "rw-axis" }, this.svg);
    el("text", { x: (x0 + x1) / 2, y: this.h - 4, "text-anchor": "middle" }, this.svg).textContent = o.xlabel;
    var yl = el("text", { x: 12, y: (y0 + y1) / 2, "text-anchor": "middle",
      transform: "rotate(-90 12 " + (y0 + y1) / 2 + ")" }, this.svg);
    yl.textContent = o.ylabel;
    this.layer = el("g", { class: "rw-data" }, this.svg);
  };

  /* The plot's text alternative: its title and what it shows right now. */
  Chart.prototype.describe = function (text) {
    this.svg.setAttribute("aria-label", this.opts.title + ". " + text);
  };

  Chart.prototype.clear = function () {
    while (this.layer.firstChild) this.layer.removeChild(this.layer.firstChild);
  };

  Chart.prototype.line = function (xs, ys, cls) {
    var pts = [];
    for (var i = 0; i < xs.length; i++) {
      if (ys[i] === null || ys[i] === undefined) continue;
      pts.push(this.tx(xs[i]).toFixed(1) + "," + this.ty(ys[i]).toFixed(1));
    }
    return el("polyline", { points: pts.join(" "), class: "rw-line " + cls }, this.layer);
  };

  Chart.prototype.dots = function (xs, ys, cls, r) {
    for (var i = 0; i < xs.length; i++) {
      el("circle", { cx: this.tx(xs[i]).toFixed(1), cy: this.ty(ys[i]).toFixed(1), r: r || 3, class: cls }, this.layer);
    }
  };

  Chart.prototype.vline = function (x, cls) {
    var px = this.tx(x).toFixed(1);
    return el("line", { x1: px, x2: px, y1: this.m.t, y2: this.h - this.m.b, class: cls }, this.layer);
  };

  function slider(parent, label, n, start, show) {
    var wrap = html("label", {}, parent);
    html("span", { class: "rw-label" }, wrap, label);
    var input = html("input", { type: "range", min: "0", max: String(n - 1), step: "1", value: String(start),
      "aria-label": label }, wrap);
    // The readout below announces each change; the value next to the slider stays quiet.
    var out = html("output", { "aria-live": "off" }, wrap);
    function update() {
      out.textContent = show(+input.value);
      input.setAttribute("aria-valuetext", label + " = " + out.textContent);
    }
    input.addEventListener("input", update);
    update();
    return input;
  }

  function range(n) {
    var r = [];
    for (var i = 0; i < n; i++) r.push(i);
    return r;
  }

  /* Widget 1: watch one weight decay (sliders: learning rate and λ). */
  function decayWidget(root, data) {
    var controls = html("div", { class: "rw-controls" }, root);
    var lr = slider(controls, "learning rate α", data.lrs.length, data.start[0], function (i) { return fmt(data.lrs[i]); });
    var lam = slider(controls, "λ", data.lams.length, data.start[1], function (j) { return fmt(data.lams[j]); });
    var plots = html("div", { class: "rw-plots" }, root);
    var steps = range(data.steps + 1);
    var chart = new Chart(plots, {
      title: "one weight, data gradient switched off (N = " + data.n + ")",
      x: [0, data.steps], y: [0, data.w0 * 1.05], xlabel: "step", ylabel: "weight",
      xticks: [0, 10, 20, 30, 40, 50, 60], yticks: [0, 0.5, 1, 1.5, 2], width: 560, height: 280,
      cls: "rw-decay-chart",
    });
    chart.axes();
    var readout = html("div", { class: "rw-readout", "aria-live": "polite" }, root);

    function draw() {
      var p = data.paths[lr.value + "," + lam.value];
      chart.clear();
      chart.line(steps, p.l1, "rw-l1");
      var parts = ["decay factor 1 − 2αλ/N = " + fmt(p.factor) + "."];
      if (p.l2) {
        chart.line(steps, p.l2, "rw-l2");
        var last = p.l2[p.l2.length - 1];
        parts.push(p.factor === 1 ? "With λ = 0 nothing decays: w stays " + fmt(last) + "." :
          "L2 (solid): after " + data.steps + " steps w = " + fmt(last) + (last !== 0 ? ", still not zero." : "."));
      } else {
        parts.push("L2: the reference decay_trajectory refuses this step size (" + p.error + ").");
      }
      var zero = p.l1.indexOf(0);
      parts.push("L1 (dashed): " + (zero >= 0 ? "exactly zero from step " + zero + " on." :
        "w = " + fmt(p.l1[p.l1.length - 1]) + " after " + data.steps + " steps."));
      readout.textContent = parts.join(" ");
      chart.describe("Weight against step, from w = " + fmt(data.w0) + " at step 0, with learning rate α = " +
        fmt(data.lrs[+lr.value]) + " and λ = " + fmt(data.lams[+lam.value]) + ". " + parts.join(" "));
    }

    lr.addEventListener("input", draw);
    lam.addEventListener("input", draw);
    draw();
  }

  /* Widget 2: drag λ and watch training versus validation error. */
  function lambdaWidget(root, data) {
    var controls = html("div", { class: "rw-controls" }, root);
    var lam = slider(controls, "λ", data.lams.length, data.start, function (i) { return fmt(data.lams[i]); });
    var plots = html("div", { class: "rw-plots" }, root);
    var lo = Math.min.apply(null, data.y_train.concat(data.y_val)) - 0.5;
    var hi = Math.max.apply(null, data.y_train.concat(data.y_val)) + 0.5;
    var fitChart = new Chart(plots, {
      title: "degree-" + data.degree + " polynomial fit", x: [-1, 1], y: [lo, hi], xlabel: "x", ylabel: "y",
      xticks: [-1, -0.5, 0, 0.5, 1], yticks: [-1, 0, 1], cls: "rw-fit-chart",
    });
    fitChart.axes();
    var emin = Math.min.apply(null, data.train), emax = Math.max.apply(null, data.val.concat(data.train));
    var errChart = new Chart(plots, {
      title: "error against λ", x: [data.lams[0], data.lams[data.lams.length - 1]],
      y: [emin * 0.7, emax * 1.3], xlog: true, ylog: true, xlabel: "λ (log scale)",
      ylabel: "mean squared error", xticks: [1e-6, 1e-4, 1e-2, 1, 100],
      yticks: [0.01, 0.1, 1].filter(function (t) { return t > emin * 0.7 && t < emax * 1.3; }),
      cls: "rw-error-chart",
    });
    errChart.axes();
    var readout = html("div", { class: "rw-readout", "aria-live": "polite" }, root);

    function draw() {
      var i = +lam.value;
      fitChart.clear();
      fitChart.line(data.grid, data.truth, "rw-grid");
      fitChart.dots(data.x_val, data.y_val, "rw-dot-val", 2.5);
      fitChart.dots(data.x_train, data.y_train, "rw-dot-train", 3.5);
      fitChart.line(data.grid, data.fits[i], "rw-fit");
      errChart.clear();
      errChart.line(data.lams, data.train, "rw-train");
      errChart.line(data.lams, data.val, "rw-val");
      errChart.vline(data.lams[i], "rw-marker");
      errChart.dots([data.lams[i]], [data.train[i]], "rw-dot-train", 4);
      errChart.dots([data.lams[i]], [data.val[i]], "rw-dot-val", 4);
      var verdict = i < data.start ? "λ is too small: the curve chases the noise (overfits)." :
        i > data.start ? "λ is larger than the best: the curve flattens (underfits)." :
        "the lowest validation error on this grid.";
      readout.textContent = "λ = " + fmt(data.lams[i]) + ": training error " + fmt(data.train[i]) +
        " (filled dots, blue line), validation error " + fmt(data.val[i]) + " (rings, orange line); " + verdict;
      var best = data.lams[data.start];
      fitChart.describe("At λ = " + fmt(data.lams[i]) + " the fitted curve (teal) " +
        (i < data.start ? "wiggles through the " + data.x_train.length + " training points (filled dots), chasing their noise" :
         i > data.start ? "is flatter than the true curve (faint line) and misses both the training points and the validation points" :
         "follows the true curve (faint line) closely") +
        ", for x from −1 to 1; the rings are validation points.");
      errChart.describe("Training error falls from " + fmt(data.train[data.train.length - 1]) + " to " +
        fmt(data.train[0]) + " as λ shrinks from " + fmt(data.lams[data.lams.length - 1]) + " to " +
        fmt(data.lams[0]) + "; validation error is lowest, " + fmt(data.val[data.start]) + ", at λ = " + fmt(best) +
        ". The marker is at λ = " + fmt(data.lams[i]) + ": training error " + fmt(data.train[i]) +
        ", validation error " + fmt(data.val[i]) + ".");
    }

    lam.addEventListener("input", draw);
    draw();
  }

  var WIDGETS = { decay: decayWidget, lambda: lambdaWidget };

  function init() {
    var roots = document.querySelectorAll(".ridge-widget[data-widget]:not([data-ready])");
    Array.prototype.forEach.call(roots, function (root) {
      var make = WIDGETS[root.getAttribute("data-widget")];
      var script = root.querySelector("script.ridge-widget-data");
      if (!make || !script) return;
      try {
        make(root, JSON.parse(script.textContent));
        root.setAttribute("data-ready", "true");
      } catch (err) {
        console.error("Ridge Lab widget failed: " + err.message);
      }
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
