// Text selected in an article's summary becomes the passage to quote.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var passage = document.querySelector("textarea.cite-passage");
  if (!passage) {
    return;
  }
  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.anchorNode) {
      return;
    }
    var node = selection.anchorNode.parentElement;
    if (node && node.closest(".article-summary")) {
      passage.value = selection.toString().trim();
    }
  });
});
