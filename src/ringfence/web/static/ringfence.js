// ringfence pages: the only script. It suggests a report category from the pasted text while
// the reader types (the form works without it: "let ringfence suggest" does the same on submit).
(function () {
  "use strict";
  var text = document.getElementById("text");
  var category = document.getElementById("category");
  var hint = document.getElementById("suggestion");
  if (!text || !category || !hint) { return; }
  var timer = null;
  var lastAsked = "";
  function ask() {
    var value = text.value.trim();
    if (value.length < 12 || value === lastAsked) { return; }
    lastAsked = value;
    var body = new URLSearchParams();
    body.set("text", value);
    fetch("/report/suggest", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.category) { hint.textContent = ""; return; }
        hint.textContent = hint.getAttribute("data-label") + ": " + data.label;
        if (category.value === "auto") {
          var option = category.querySelector('option[value="' + data.category + '"]');
          if (option) { category.value = data.category; }
        }
      })
      .catch(function () { hint.textContent = ""; });
  }
  text.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(ask, 400);
  });
})();
