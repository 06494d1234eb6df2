// The running total of a participatory budget's ballot
// (frontend/budgets/templates/budget_ballot.html). Without this script
// the "update total" button asks the server, which answers with the
// same words; with it, the total follows each tick as well. The server
// still checks every ballot. Written for old browsers too: no build
// step, no modules.
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  var out = document.getElementById("running-total");
  if (!form || !out || !window.Intl || !form.getAttribute("data-currency")) { return; }
  var amount = Number(form.getAttribute("data-amount"));
  var knapsack = form.getAttribute("data-knapsack") === "1";
  var max = Number(form.getAttribute("data-max") || "0");
  var money;
  try {
    money = new Intl.NumberFormat(document.documentElement.lang || "fr", {
      style: "currency", currency: form.getAttribute("data-currency"),
      minimumFractionDigits: 0, maximumFractionDigits: 0
    });
  } catch (e) { return; }

  // say fills a message's %s and %d in order, as the server does.
  function say(name, args) {
    var i = 0;
    return (form.getAttribute("data-" + name) || "").replace(/%[sd]/g, function () { return String(args[i++]); });
  }

  function update() {
    var boxes = form.querySelectorAll('input[name="project"]'), n = 0, sum = 0;
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) { n++; sum += Number(boxes[i].getAttribute("data-cost")); }
    }
    var lines = [[say("sum", [n, money.format(sum)]), false]];
    if (max) { lines[0][0] += " " + say("max-text", [max]); }
    if (knapsack && sum <= amount) { lines.push([say("left", [money.format(amount - sum), money.format(amount)]), false]); }
    if (knapsack && sum > amount) { lines.push([say("over", [money.format(sum - amount), money.format(amount)]), true]); }
    if (max && n > max) { lines.push([say("too-many", [n, max]), true]); }
    while (out.firstChild) { out.removeChild(out.firstChild); }
    for (var j = 0; j < lines.length; j++) {
      var p = document.createElement("p"), text = document.createTextNode(lines[j][0]);
      if (lines[j][1]) { var strong = document.createElement("strong"); strong.appendChild(text); p.appendChild(strong); } else { p.appendChild(text); }
      out.appendChild(p);
    }
  }
  form.addEventListener("change", update);
}());
