// ReDoc on /api/docs/redoc/. The nonce of this script's tag lets the
// style elements ReDoc injects pass the page's CSP.
(function () {
  "use strict";
  // ReDoc's sidebar always shows Redocly's logo from their CDN: a request
  // to a third party that the CSP refuses (a console error) and that would
  // tell Redocly who reads these docs. An empty image stands in for it.
  var REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
  var EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
  function local(value) {
    return String(value) === REDOCLY_LOGO ? EMPTY_IMAGE : value;
  }
  var setAttribute = Element.prototype.setAttribute;
  HTMLImageElement.prototype.setAttribute = function (name, value) {
    var lower = String(name).toLowerCase();
    return setAttribute.call(this, name, lower === "src" ? local(value) : value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, local(value));
    },
  });

  var nonce = document.currentScript.nonce;
  var container = document.getElementById("redoc-container");
  window.Redoc.init(
    container.dataset.schemaUrl,
    { nonce: nonce },
    container
  );
})();
