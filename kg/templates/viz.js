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
  // An edge's tooltip: the relation, the cue that gave a paper's role (in words, its code after it in small
  // type), the sentence that says so.
  function edgeDetails(info) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-name", info.relation));
    if (info.cue) {
      var why = box.appendChild(el("div", "kg-tip-meta kg-tip-cue", info.cue_text || info.cue));
      if (info.cue_text && info.cue_text !== info.cue) {
        why.appendChild(document.createTextNode(" "));
        why.appendChild(el("code", "kg-tip-code", info.cue));
      }
    }
    box.appendChild(el("blockquote", "kg-tip-evidence", info.evidence));
    return box;
  }
  var edgeItems = data.edges.map(function (e) {
    var item = Object.assign({}, e);
    if (e.info) item.title = edgeDetails(e.info);
    return item;
  });
  if (typeof vis === "undefined") {  // --assets beside, and the page moved without its _files folder
    status("vis-network did not load: keep the page's _files folder beside it");
    return;
  }
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
  var shownId = null;
  // The node's visible neighbours in the view, grouped by relation and direction; each one a button to go to.
  function neighbours(id) {
    var groups = {};
    edges.get({ filter: function (e) { return !e.hidden && (e.from === id || e.to === id); } }).forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      var node = nodes.get(other);
      if (!node || node.hidden) return;
      var heading = e.from === id ? e.label + " →" : "← " + e.label;
      (groups[heading] = groups[heading] || {})[other] = node;
    });
    var box = el("div", "kg-neighbours");
    Object.keys(groups).sort().forEach(function (heading) {
      var members = Object.keys(groups[heading]).map(function (k) { return groups[heading][k]; });
      members.sort(function (a, b) { return b.info.links - a.info.links || (a.label < b.label ? -1 : 1); });
      box.appendChild(el("div", "kg-tip-meta kg-rel", heading + " (" + members.length + ")"));
      var ul = box.appendChild(el("ul"));
      members.slice(0, 30).forEach(function (node) {
        var button = ul.appendChild(el("li")).appendChild(el("button", "kg-go", node.label));
        button.type = "button";
        button.title = node.kgtype + ": " + node.info.name;
        button.addEventListener("click", function () { focusNode(node.id); });
      });
      if (members.length > 30) box.appendChild(el("div", "kg-tip-meta", "and " + (members.length - 30) + " more"));
    });
    return box;
  }
  function showPanel(id) {
    var node = nodes.get(id);
    if (!node) return;
    panelBody.replaceChildren(details(node.info), neighbours(id));
    panel.hidden = false;
    shownId = id;
  }
  function closePanel() {
    panel.hidden = true;
    shownId = null;
    network.unselectAll();
  }
  network.on("selectNode", function (p) { if (p.nodes.length) showPanel(p.nodes[0]); });
  network.on("deselectNode", function () { panel.hidden = true; shownId = null; });
  document.getElementById("kg-panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) closePanel();
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
      if (shownId !== null) {
        if (hiddenTypes[nodes.get(shownId).kgtype]) closePanel(); else showPanel(shownId);
      }
      placeLandmarks(true);
    });
  });
  // Relation checkboxes, which are also the edge legend. An edge is drawn when its relation is ticked and both
  // its ends' types are (vis-network leaves out the edges of hidden nodes), so the two filters combine.
  var byRelation = {};
  data.edges.forEach(function (e) { (byRelation[e.label] = byRelation[e.label] || []).push(e.id); });
  var relBox = document.getElementById("kg-relations");
  data.edgeLegend.forEach(function (r) {
    var label = relBox.appendChild(el("label"));
    var box = label.appendChild(el("input"));
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-relation", r.relation);
    label.appendChild(el("span", "kg-line")).style.background = r.color;
    label.appendChild(document.createTextNode(r.relation + " (" + r.count + ")"));
    box.addEventListener("change", function () {
      edges.update((byRelation[r.relation] || []).map(function (id) { return { id: id, hidden: !box.checked }; }));
      if (shownId !== null) showPanel(shownId);
    });
  });

  // Search: exact name or alias first, then names starting with, then containing the query, folded as
  // `kg lookup` folds names (case, accents, spaces and punctuation); an arXiv id in any of its written forms.
  // Enter again goes to the next match.
  function key(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "");
  }
  function arxivId(text) {
    var m = /^\s*(?:https?:\/\/(?:www\.)?arxiv\.org\/(?:abs|pdf)\/|arxiv:\s*)?(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?\s*$/i
      .exec(String(text || ""));
    return m ? m[1] : null;
  }
  var names = document.getElementById("kg-names");
  var seen = {};
  var keys = data.nodes.map(function (n) {
    var all = [n.info.name].concat(n.info.aliases || []);
    if (n.info.title_zh) all.push(n.info.title_zh);
    all.forEach(function (name) {
      if (name && !seen[name]) {
        seen[name] = true;
        names.appendChild(el("option")).value = name;
      }
    });
    if (n.info.arxiv) all.push(n.info.arxiv);
    all.push(n.label);
    return { id: n.id, type: n.kgtype, links: n.info.links, names: all.map(key).filter(Boolean) };
  });
  // Every node matching `query`, best first: the tests in order, more links first within one.
  function findAll(query) {
    var q = key(arxivId(query) || query);
    if (!q) return [];
    var tests = [
      function (name) { return name === q; },
      function (name) { return name.indexOf(q) === 0; },
      function (name) { return name.indexOf(q) >= 0; }
    ];
    var found = [], taken = {};
    tests.forEach(function (test) {
      keys.filter(function (k) { return !taken[k.id] && k.names.some(test); })
        .sort(function (a, b) { return b.links - a.links || (a.id < b.id ? -1 : 1); })
        .forEach(function (k) { taken[k.id] = true; found.push(k); });
    });
    return found;
  }
  function find(query) {
    var visible = findAll(query).filter(function (k) { return !hiddenTypes[k.type]; });
    return visible.length ? visible[0].id : null;
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showPanel(id);
  }
  kg.find = find;
  kg.focusNode = focusNode;
  var search = document.getElementById("kg-search");
  var last = { query: null, at: 0 };
  document.getElementById("kg-find").addEventListener("submit", function (event) {
    event.preventDefault();
    var all = findAll(search.value);
    var visible = all.filter(function (k) { return !hiddenTypes[k.type]; });
    if (!visible.length) {
      status(all.length ? "\u201c" + search.value + "\u201d is hidden: tick " + all[0].type + " to see it"
                        : "no node matches \u201c" + search.value + "\u201d");
      return;
    }
    last.at = last.query === search.value ? (last.at + 1) % visible.length : 0;
    last.query = search.value;
    status(visible.length > 1 ? "match " + (last.at + 1) + " of " + visible.length + " (Enter: next)" : "");
    focusNode(visible[last.at].id);
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });

  // Keys: arrows pan, + and - zoom, 0 fits the graph, when the graph or the page itself has the focus (never
  // while typing in the search box, on a checkbox or in the panel). vis-network's own keyboard option is off: it
  // binds to the window, where it would eat the "-" typed in the search box, or to the canvas alone.
  var canvasBox = document.getElementById("kg-network");
  var PAN = 0.15;  // of the window per press
  var ZOOM = 1.25;
  var MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  function onGraph(target) {
    return target === document.body || target === document.documentElement || target === null ||
      canvasBox.contains(target);
  }
  function navigate(key) {
    var scale = network.getScale();
    var at = network.getViewPosition();
    if (MOVES[key]) {
      at = { x: at.x + MOVES[key][0] * PAN * canvasBox.clientWidth / scale,
             y: at.y + MOVES[key][1] * PAN * canvasBox.clientHeight / scale };
    } else if (key === "+" || key === "=") {
      scale = Math.min(scale * ZOOM, 10);
    } else if (key === "-" || key === "_") {
      scale = Math.max(scale / ZOOM, 0.002);
    } else if (key === "0") {
      network.fit({ animation: false });
      return true;
    } else {
      return false;
    }
    network.moveTo({ position: at, scale: scale, animation: false });
    return true;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || !onGraph(event.target)) return;
    if (navigate(event.key)) event.preventDefault();
  });

  // Landmarks: zoomed out, vis-network draws no label under 4 px, so a big graph would open as an unlabeled
  // hairball. The busiest nodes (data.landmarks.ids, busiest first) in the window keep a label of
  // data.landmarks.px on screen, at most data.landmarks.labels of them, each only where it overlaps no busier
  // one's label. Placed again when the scale has changed (wheel, keys, Fit, search) or a type is hidden.
  var marks = data.landmarks || { ids: [], labels: 0, px: 12 };
  var baseFont = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 14;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = marks.px + "px sans-serif";
  var widths = {};
  var raised = {};  // id -> the font size it was given
  var placedScale = null;
  function labelBox(id, node, position, scale) {
    if (widths[id] === undefined) widths[id] = measure.measureText(String(node.label)).width;
    var p = network.canvasToDOM(position);
    var top = p.y + (node.size || 10) * scale + 1;
    return { left: p.x - widths[id] / 2 - 3, right: p.x + widths[id] / 2 + 3, top: top - 2,
             bottom: top + marks.px * 1.3 + 2 };
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function placeLandmarks(force) {
    var scale = network.getScale();
    if (!force && scale === placedScale) return;
    placedScale = scale;
    var want = {};
    if (baseFont * scale < marks.px) {
      var width = canvasBox.clientWidth, height = canvasBox.clientHeight;
      var placed = [];
      var positions = network.getPositions(marks.ids);
      for (var i = 0; i < marks.ids.length && placed.length < marks.labels; i++) {
        var id = marks.ids[i];
        var node = nodes.get(id);
        if (!node || node.hidden || !positions[id]) continue;
        var b = labelBox(id, node, positions[id], scale);
        if (b.right < 0 || b.left > width || b.bottom < 0 || b.top > height) continue;  // outside the window
        if (placed.some(overlaps.bind(null, b))) continue;
        placed.push(b);
        want[id] = marks.px / scale;
      }
    }
    var changes = [];
    Object.keys(raised).forEach(function (id) {
      if (!(id in want)) {
        changes.push({ id: id, font: { size: baseFont, strokeWidth: 0 } });
        delete raised[id];
      }
    });
    Object.keys(want).forEach(function (id) {
      if (raised[id] !== want[id]) {  // a white halo keeps the label legible over the edges below it
        var halo = 3 * want[id] / marks.px;
        changes.push({ id: id, font: { size: want[id], strokeWidth: halo, strokeColor: "#ffffff" } });
        raised[id] = want[id];
      }
    });
    if (changes.length) nodes.update(changes);
    kg.landmarks = Object.keys(raised);
  }
  // Placed before the view is drawn at a new scale; during a wheel or pinch zoom only once it has come to rest
  // (placing them at every step would draw each frame twice).
  var settle = null, zooming = false;
  network.on("zoom", function () {
    zooming = true;
    clearTimeout(settle);
    settle = setTimeout(function () { zooming = false; placeLandmarks(false); }, 150);
  });
  network.on("beforeDrawing", function () { if (!zooming) placeLandmarks(false); });
  network.on("dragEnd", function (p) { if (p.nodes.length) placeLandmarks(true); });
})();
