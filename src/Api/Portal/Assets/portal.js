// The portal's only script: the invoice's print button, live usage over server-sent events, and the bars of the
// usage chart. Served from our origin (CSP script-src 'self'); it adds no markup from the server as HTML, only text.
(function () {
  "use strict";
  // Hidden in the markup, so a browser without script never shows a button that does nothing.
  var print = document.getElementById("print-invoice");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
(function () {
  "use strict";
  var live = document.getElementById("usage-live");
  if (!live || !window.EventSource) {
    return;
  }
  var chart = document.getElementById("usage-chart");
  var table = document.getElementById("usage-table");
  var format = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

  function row(metric) {
    var rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-metric") === metric) {
        return rows[i];
      }
    }
    var tr = document.createElement("tr");
    tr.setAttribute("data-metric", metric);
    tr.setAttribute("data-limit", "");
    var th = document.createElement("th");
    th.setAttribute("scope", "row");
    th.textContent = metric;
    var used = document.createElement("td");
    used.className = "usage-value";
    var limit = document.createElement("td");
    limit.textContent = "No limit";
    tr.appendChild(th);
    tr.appendChild(used);
    tr.appendChild(limit);
    table.tBodies[0].appendChild(tr);
    var empty = document.getElementById("usage-empty");
    if (empty) {
      empty.remove();
    }
    return tr;
  }

  function bar(metric, used, limit, scale) {
    if (!chart) {
      return;
    }
    var width = Number(chart.getAttribute("data-width"));
    var groups = chart.querySelectorAll("g[data-metric]");
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].getAttribute("data-metric") === metric) {
        var of = limit > 0 ? limit : scale;
        var share = of > 0 ? Math.min(1, used / of) : 0;
        groups[i].querySelector("rect.bar").setAttribute("width", String(Math.round(share * width)));
      }
    }
  }

  var source = new EventSource(live.getAttribute("data-stream"));
  source.addEventListener("usage", function (event) {
    var data = JSON.parse(event.data);
    var changed = [];
    var scale = 0;
    data.metrics.forEach(function (m) { scale = Math.max(scale, m.used); });
    data.metrics.forEach(function (m) {
      var tr = row(m.metric);
      var cell = tr.querySelector(".usage-value");
      var text = format.format(m.used);
      var limit = Number(tr.getAttribute("data-limit") || "0");
      if (cell.textContent !== text) {
        cell.textContent = text;
        changed.push(m.metric + ": " + text + (limit > 0 ? " of " + format.format(limit) : ""));
      }
      bar(m.metric, m.used, limit, Math.max(scale, limit));
    });
    if (changed.length > 0) {
      live.textContent = "Updated: " + changed.join("; ") + ".";
    }
  });
  source.addEventListener("error", function () {
    live.textContent = "Live updates paused; reconnecting…";
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
