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
 */
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
