// PaperKG graph page: draws the network of #kg-data with vis-network, offline.
// Every text from the graph is written with textContent (never innerHTML), and links must be http(s).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var statusEl = document.getElementById("kg-status");
  var kg = { ready: false, readyAt: null };
  window.kg = kg;

  function status(text) { statusEl.textContent = text; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }
  function link(url, text) {
    var a = el("a", null, text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function fold(text) { return String(text || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  var colors = {};
  data.legend.forEach(function (t) { colors[t.type] = t.color; });

  // The tooltip and the details panel: type, names, counts, an evidence sentence, arXiv links.
  function details(info) {
    var box = el("div", "kg-tip");
    var type = box.appendChild(el("div", "kg-tip-type", info.type));
    type.style.color = colors[info.type] || "#666";
    box.appendChild(el("div", "kg-tip-name", info.name));
    if (info.type === "PAPER") {
      if (info.title_zh) box.appendChild(el("div", "kg-tip-zh", info.title_zh));
      box.appendChild(el("div", "kg-tip-meta", (info.date ? info.date + " · " : "") + "arXiv:" + info.arxiv));
      var url = safeUrl(info.url);
      if (url) box.appendChild(el("div")).appendChild(link(url, url));
      return box;
    }
    if (info.aliases && info.aliases.length) box.appendChild(el("div", "kg-tip-meta", "also: " + info.aliases.join(", ")));
    box.appendChild(el("div", "kg-tip-meta",
      info.papers + (info.papers === 1 ? " paper" : " papers") + " · " + info.links + (info.links === 1 ? " link" : " links")));
    if (info.evidence) box.appendChild(el("blockquote", "kg-tip-evidence", info.evidence));
    var links = (info.paper_links || []).filter(function (p) { return safeUrl(p[0]); });
    if (links.length) {
      var ul = box.appendChild(el("ul"));
      links.forEach(function (p) { ul.appendChild(el("li")).appendChild(link(p[0], p[1])); });
      if (info.more_papers) box.appendChild(el("div", "kg-tip-meta", "and " + info.more_papers + " more"));
    }
    return box;
  }

  var byType = {};
  var items = data.nodes.map(function (n) {
    (byType[n.kgtype] = byType[n.kgtype] || []).push(n.id);
    var item = Object.assign({}, n);
    item.title = details(n.info);
    return item;
  });
  // An edge's tooltip: the relation, the cue that gave a paper's role, the sentence that says so.
  function edgeDetails(info) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-name", info.relation));
    if (info.cue) box.appendChild(el("div", "kg-tip-meta", info.cue));
    box.appendChild(el("blockquote", "kg-tip-evidence", info.evidence));
    return box;
  }
  var edgeItems = data.edges.map(function (e) {
    var item = Object.assign({}, e);
    if (e.info) item.title = edgeDetails(e.info);
    return item;
  });
  var nodes = new vis.DataSet(items);
  var edges = new vis.DataSet(edgeItems);
  var network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, data.options);
  kg.network = network;
  kg.nodes = nodes;
  kg.edges = edges;
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;

  function ready() {
    if (kg.ready) return;
    kg.ready = true;
    kg.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
    status("");
  }
  if (data.options.physics.enabled) {
    network.on("stabilizationProgress", function (p) {
      status("laying out " + Math.round((100 * p.iterations) / p.total) + "%");
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.once("afterDrawing", ready);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", ready);
  }

  // Details panel of the selected node (links in it can be clicked, unlike the hover tooltip's).
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  function showPanel(id) {
    var node = nodes.get(id);
    if (!node) return;
    panelBody.replaceChildren(details(node.info));
    panel.hidden = false;
  }
  network.on("selectNode", function (p) { if (p.nodes.length) showPanel(p.nodes[0]); });
  network.on("deselectNode", function () { panel.hidden = true; });
  document.getElementById("kg-panel-close").addEventListener("click", function () {
    panel.hidden = true;
    network.unselectAll();
  });

  // Type checkboxes, which are also the legend.
  var hiddenTypes = {};
  var typesBox = document.getElementById("kg-types");
  data.legend.forEach(function (t) {
    var label = typesBox.appendChild(el("label"));
    var box = label.appendChild(el("input"));
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-type", t.type);
    var glyph = label.appendChild(el("span", "kg-glyph", t.glyph));
    glyph.style.color = t.color;
    label.appendChild(document.createTextNode(t.type + " (" + t.count + ")"));
    box.addEventListener("change", function () {
      hiddenTypes[t.type] = !box.checked;
      nodes.update((byType[t.type] || []).map(function (id) { return { id: id, hidden: !box.checked }; }));
    });
  });
  var relBox = document.getElementById("kg-relations");
  data.edgeLegend.forEach(function (r) {
    var span = relBox.appendChild(el("span"));
    span.appendChild(el("span", "kg-line")).style.background = r.color;
    span.appendChild(document.createTextNode(r.relation + " (" + r.count + ")"));
  });

  // Search: exact name or alias first, then names starting with, then containing the query; visible types only.
  var names = document.getElementById("kg-names");
  var seen = {};
  var keys = data.nodes.map(function (n) {
    var all = [n.label, n.info.name].concat(n.info.aliases || []);
    if (n.info.arxiv) all.push(n.info.arxiv);
    all.forEach(function (name) {
      if (name && !seen[name]) {
        seen[name] = true;
        names.appendChild(el("option")).value = name;
      }
    });
    return { id: n.id, type: n.kgtype, links: n.info.links, names: all.map(fold) };
  });
  function find(query) {
    var q = fold(query);
    if (!q) return null;
    var tests = [
      function (name) { return name === q; },
      function (name) { return name.indexOf(q) === 0; },
      function (name) { return name.indexOf(q) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var best = null;
      keys.forEach(function (k) {
        if (hiddenTypes[k.type] || !k.names.some(tests[i])) return;
        if (!best || k.links > best.links) best = k;
      });
      if (best) return best.id;
    }
    return null;
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showPanel(id);
  }
  kg.find = find;
  kg.focusNode = focusNode;
  var search = document.getElementById("kg-search");
  document.getElementById("kg-find").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = find(search.value);
    if (id === null) {
      status("no node matches \u201c" + search.value + "\u201d");
      return;
    }
    status("");
    focusNode(id);
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });
})();
