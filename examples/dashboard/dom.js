// The one DOM helper the panels share. Text always goes in as textContent, never as HTML:
// notification messages come from anyone allowed to POST them.
(function (rtd) {
  "use strict";

  function element(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  rtd.dom = { element };
})(globalThis.rtd ??= {});
