/* MathJax 3 set-up for Material for MkDocs (vendored, offline).
 *
 * Material's documented snippet lets MathJax typeset the page at start-up and
 * then typesets again from `document$`; with tex-chtml.js the second pass
 * clears the CHTML output cache, which removes the stylesheet the first pass
 * generated, so every glyph ends up invisible. Here MathJax never typesets on
 * its own (startup.typeset: false). Once it is ready it subscribes to
 * Material's `document$`, which emits for the first page and again after every
 * instant navigation, and typesets exactly once per page: clear the output
 * cache, forget the previous page's math, reset TeX labels, typeset.
 *
 * MathJax's assistive MathML (on by default) stays: screen readers read the
 * formula from it. But a form control takes no name from MathML (ARIA's role
 * "math" is named by the author, not by its content), so a quiz answer written
 * in math would be an unnamed checkbox. After each typeset, every quiz answer
 * whose label holds math gets an aria-label: the label read out in words.
 */
(function () {
  "use strict";

  var WORDS = { "\u2212": "minus", "-": "minus", "+": "plus", "=": "equals", "\u2260": "is not equal to",
    "\u22c5": "times", "\u00b7": "times", "\u00d7": "times", "\u2026": "dot dot dot", "\u22ef": "dot dot dot",
    "\u2223": "bar", "|": "bar", "\u2016": "norm", "\u2208": "in", "\u2264": "at most", "\u2265": "at least",
    "<": "less than", ">": "greater than", "\u2192": "to", "\u2207": "gradient of", "\u2211": "sum of",
    "\u2061": "", "\u2062": "", "\u2063": "" };

  /* A plain spoken form of a MathML node, e.g. 2λ/N θ -> "2 λ over N θ". */
  function speak(node) {
    if (node.nodeType === 3) return node.nodeValue.trim();
    if (node.nodeType !== 1) return "";
    var kids = Array.prototype.filter.call(node.childNodes, function (c) { return c.nodeType === 1; });
    var tag = node.localName;
    var parts = kids.map(speak);
    if (tag === "mi" || tag === "mn" || tag === "mtext") return node.textContent.trim();
    if (tag === "mo") {
      var op = node.textContent.trim();
      return Object.prototype.hasOwnProperty.call(WORDS, op) ? WORDS[op] : op;
    }
    if (tag === "mspace") return "";
    if (tag === "mfrac") return "the fraction " + parts[0] + " over " + parts[1] + ", end fraction";
    if (tag === "msqrt") return "the square root of " + parts.join(" ") + ", end root";
    if (tag === "msup") return parts[0] + (parts[1] === "2" ? " squared" : " to the power " + parts[1]);
    if (tag === "msub") return parts[0] + " sub " + parts[1];
    if (tag === "msubsup") return parts[0] + " sub " + parts[1] + " to the power " + parts[2];
    if (tag === "mover" || tag === "munder") return parts.join(" ");
    return parts.filter(Boolean).join(" ");
  }

  function textOf(node) {
    if (node.nodeType === 3) return node.nodeValue;
    if (node.nodeType !== 1) return "";
    if (node.localName === "mjx-container") {
      var math = node.querySelector("mjx-assistive-mml math");
      return math ? " " + speak(math) + " " : "";
    }
    return Array.prototype.map.call(node.childNodes, textOf).join("");
  }

  window.ridgeLabNameMathLabels = function () {
    document.querySelectorAll(".quiz fieldset label[for]").forEach(function (label) {
      if (!label.querySelector("mjx-container")) return;
      var input = document.getElementById(label.getAttribute("for"));
      if (input) input.setAttribute("aria-label", textOf(label).replace(/\s+/g, " ").trim());
    });
  };
})();

window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // pymdownx.arithmatex (generic) wraps every formula in class="arithmatex".
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
  startup: {
    typeset: false,
    ready: function () {
      MathJax.startup.defaultReady();
      var typesetPage = function () {
        MathJax.startup.promise = MathJax.startup.promise
          .then(function () {
            MathJax.startup.output.clearCache();
            MathJax.typesetClear();
            MathJax.texReset();
            return MathJax.typesetPromise();
          })
          .then(function () {
            window.ridgeLabNameMathLabels();
            document.documentElement.setAttribute("data-mathjax", "done");
          })
          .catch(function (err) {
            console.error("MathJax typeset failed: " + err.message);
          });
      };
      if (typeof document$ !== "undefined") {
        document$.subscribe(typesetPage);
      } else {
        typesetPage();
      }
    },
  },
};
