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
      placeLabels(true);  // the nodes have stopped where the labels were placed for; drawn below
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
    placeAndDraw(true);  // unselectAll sends no select event
  }
  // The panel lies over the graph, so that opening it does not resize the canvas (and rescale the view): a node
  // selected under it, or near its edge with its label, would be hidden by its own details. The view is moved, at
  // the same scale, until the node stands clear of the panel's edge: its left edge, or in a narrow window its top
  // edge, where the panel lies over the lower part of the graph.
  var CLEAR = 40;  // px: about a node's half size and its label
  function clearOfPanel(id) {
    if (panel.hidden) return;
    var c = canvasBox.getBoundingClientRect(), p = panel.getBoundingClientRect();
    var position = network.getPositions([id])[id];
    var at = network.canvasToDOM(position);
    var below = p.top > c.top + 1;
    var edge = below ? p.top - c.top : p.left - c.left;  // in the canvas's px
    if ((below ? at.y : at.x) < edge - CLEAR) return;
    var to = Math.max(edge - 2 * CLEAR, edge / 2);
    var offset = { x: (below ? at.x : to) - c.width / 2, y: (below ? to : at.y) - c.height / 2 };
    network.moveTo({ position: position, scale: network.getScale(), offset: offset, animation: false });
  }
  network.on("selectNode", function (p) {
    if (!p.nodes.length) return;
    showPanel(p.nodes[0]);
    clearOfPanel(p.nodes[0]);
  });
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
      placeAndDraw(true);
    });
  });
  // Relation checkboxes, which are also the edge legend. An edge is drawn when its relation is ticked and both
  // its ends' types are (vis-network leaves out the edges of hidden nodes), so the two filters combine.
  var byRelation = {}, hiddenRelations = {};
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
      hiddenRelations[r.relation] = !box.checked;
      edges.update((byRelation[r.relation] || []).map(function (id) { return { id: id, hidden: !box.checked }; }));
      if (shownId !== null) showPanel(shownId);
      placeAndDraw(true);
    });
  });

  // Search: the paper a whole arXiv id names first, then exact name or alias, then names starting with, then
  // containing the query, folded as `kg lookup` folds names (case, accents, spaces and punctuation). Enter again
  // goes to the next match.
  function key(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "");
  }
  // The arXiv id (no version) that `text` writes whole, in exactly the forms kg.parse.common.arxiv_id_of takes
  // (so the box finds what `kg viz --focus` finds): new or old style, "arXiv:" or an arxiv.org abs/pdf URL.
  var ARXIV_ID = new RegExp("^(?:arxiv:|https?://arxiv\\.org/(?:abs|pdf)/)?" +
    "(\\d{4}\\.\\d{4,5}|[a-z][a-z\\-]*(?:\\.[A-Z]{2})?/\\d{7})(?:v\\d+)?(?!\\d)(?:\\.pdf)?$", "i");
  // Python's str.strip() set: JS's trim() also strips U+FEFF and keeps U+001C-U+001F and U+0085.
  var SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+";
  var PY_SPACE = new RegExp("^" + SPACE + "|" + SPACE + "$", "g");
  function arxivId(text) {
    var m = ARXIV_ID.exec(String(text || "").replace(PY_SPACE, ""));
    return m ? m[1] : null;
  }
  var names = document.getElementById("kg-names");
  var seen = new Set();  // not an object: a node named "constructor" or "toString" would be seen already
  var keys = data.nodes.map(function (n) {
    var all = [n.info.name].concat(n.info.aliases || []);
    if (n.info.title_zh) all.push(n.info.title_zh);
    all.forEach(function (name) {
      if (name && !seen.has(name)) {
        seen.add(name);
        names.appendChild(el("option")).value = name;
      }
    });
    all.push(n.label);
    // The id is matched whole, never as a folded name: "0601001" is part of both cs/0601001 and math/0601001.
    var arxiv = n.kgtype === "PAPER" && n.info.arxiv ? n.info.arxiv.toLowerCase() : null;
    return { id: n.id, type: n.kgtype, links: n.info.links, arxiv: arxiv, names: all.map(key).filter(Boolean) };
  });
  // Every node matching `query`, best first: the tests in order, more links first within one.
  function findAll(query) {
    var id = arxivId(query), q = key(query);
    if (!q) return [];
    var named = function (test) { return function (k) { return k.names.some(test); }; };
    var tests = [
      function (k) { return id !== null && k.arxiv === id.toLowerCase(); },  // ids are typed in any case
      named(function (name) { return name === q; }),
      named(function (name) { return name.indexOf(q) === 0; }),
      named(function (name) { return name.indexOf(q) >= 0; })
    ];
    var found = [], taken = {};
    tests.forEach(function (test) {
      keys.filter(function (k) { return !taken[k.id] && test(k); })
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
    clearOfPanel(id);
    placeAndDraw(true);  // selectNodes sends no select event
  }
  kg.find = find;
  kg.arxivId = arxivId;  // for the tests: the same forms as arxiv_id_of
  kg.focusNode = focusNode;
  var search = document.getElementById("kg-search");
  var last = { query: null, at: 0 };
  document.getElementById("kg-find").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!search.value.replace(PY_SPACE, "")) {
      status("type a name, an alias or an arXiv id");
      return;
    }
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

  // Landmarks: zoomed out, vis-network draws no label under LABEL_MIN_PX, so a big graph would open as an
  // unlabeled hairball. The busiest nodes (data.landmarks.ids, busiest first) in the window keep a label of
  // data.landmarks.px on screen, at most data.landmarks.labels of them, each only where it overlaps no busier
  // one's label. Every other label, of a node or an edge, gives way (font size 0) to the labels before it: the
  // landmarks, then the hovered or selected node and its neighbours (drawn whatever they meet), then the nodes by
  // rank and links, then the edges. vis-network draws every label where it falls, and at the starting and middle
  // zoom they would garble each other. Placed again when the scale has changed (wheel, keys, Fit, search), a node
  // was dragged, hovered or selected, a type or relation hidden, or the layout settled; not per frame.
  var LABEL_MIN_PX = 4;  // vis-network's scaling.label.drawThreshold (5) less 1
  var marks = data.landmarks || { ids: [], labels: 0, px: 12 };
  var nodeFont = Object.assign({ size: 14, face: "arial" }, data.options.nodes && data.options.nodes.font);
  var edgeFont = Object.assign({ size: 14, face: "arial" }, data.options.edges && data.options.edges.font);
  var baseFont = nodeFont.size;
  // Edges left drawn while a wheel zoom runs (small graphs) may show their labels before the next placement.
  var edgesWhileZooming = !(data.options.interaction && data.options.interaction.hideEdgesOnZoom);
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var measure = document.createElement("canvas").getContext("2d");
  var widths = new Map();  // face + text -> width at marks.px
  function textWidth(text, px, face) {  // face: "bold arial" for bold
    var key = face + "\n" + text;
    if (!widths.has(key)) {
      measure.font = face.replace(/^(bold )?/, "$1" + marks.px + "px ");
      widths.set(key, measure.measureText(text).width);
    }
    return widths.get(key) * px / marks.px;
  }
  // Boxes are in canvas units, where a zoom moves no label against another: what is kept out of the way stays out
  // of it while a wheel zoom runs, before the next placement. A node's label is centred under the node, its top
  // half a font size and 4 units below it (vis-network's ShapeBase._drawShape and Label, hanging baseline).
  function nodeBox(node, at, px, pad, bold) {
    var half = textWidth(String(node.label), px, (bold ? "bold " : "") + nodeFont.face) / 2 + pad;
    var top = at.y + (node.size || 25) + px / 2 + 4;  // 25: vis-network's default size
    return { left: at.x - half, right: at.x + half, top: top - pad, bottom: top + px + pad };
  }
  // An edge's label is centred on its middle and turned along it (font.align "middle"): the box around that.
  function edgeBox(edge, from, to) {
    var w = textWidth(String(edge.label), edgeFont.size, edgeFont.face), h = edgeFont.size;
    var angle = Math.atan2(from.y - to.y, from.x - to.x);
    var cos = Math.abs(Math.cos(angle)), sin = Math.abs(Math.sin(angle));
    var hx = (cos * w + sin * h) / 2, hy = (sin * w + cos * h) / 2;
    var x = (from.x + to.x) / 2, y = (from.y + to.y) / 2;
    return { left: x - hx, right: x + hx, top: y - hy, bottom: y + hy };
  }
  function meetsAny(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom) return true;
    }
    return false;
  }
  // Ordinary labels kept, bucketed by square cells of the canvas, so that each one placed is tested only against
  // its neighbours: one pass over 3,000 nodes and 3,200 edges stays a few milliseconds.
  var CELL = 8 * baseFont;  // canvas units: an ordinary label spans one to a few cells
  function cellsOf(box, visit) {
    var x1 = Math.floor(box.right / CELL), y0 = Math.floor(box.top / CELL), y1 = Math.floor(box.bottom / CELL);
    for (var x = Math.floor(box.left / CELL); x <= x1; x++) {
      for (var y = y0; y <= y1; y++) if (visit(x * 1048576 + y)) return true;
    }
    return false;
  }
  function gridMeets(grid, box) {
    return cellsOf(box, function (cell) {
      var boxes = grid.get(cell);
      return boxes !== undefined && meetsAny(box, boxes);
    });
  }
  function gridAdd(grid, box) {
    cellsOf(box, function (cell) {
      var boxes = grid.get(cell);
      if (boxes === undefined) grid.set(cell, [box]); else boxes.push(box);
      return false;
    });
  }
  // Nodes in order of importance: landmark rank, then links, then id.
  var rank = new Map();
  marks.ids.forEach(function (id, i) { rank.set(id, i); });
  function rankOf(node) { return rank.has(node.id) ? rank.get(node.id) : marks.ids.length; }
  var ranked = data.nodes.slice().sort(function (a, b) {
    return rankOf(a) - rankOf(b) || (b.info.links || 0) - (a.info.links || 0) || (a.id < b.id ? -1 : 1);
  });
  // The hovered node, the selected ones and their neighbours: their labels are drawn whatever they meet.
  var hovered = null;
  function pinned() {
    var ids = new Set(network.getSelectedNodes());
    if (hovered !== null && nodes.get(hovered)) ids.add(hovered);
    Array.from(ids).forEach(function (id) { network.getConnectedNodes(id).forEach(function (n) { ids.add(n); }); });
    return ids;
  }
  var GAP = 1;  // canvas units between two ordinary labels; not screen pixels, so a zoom moves none of them
  var raised = new Map();  // node id -> the font size it was given: a landmark's, or 0 to give way
  var quiet = new Set();  // ids of the edges whose label gives way
  var placedScale = null;
  // vis-network answers a DataSet update by drawing the whole graph at once (physics is off): from beforeDrawing
  // that drawing happens inside the frame being drawn, which then goes on without its view transform (a garbled
  // frame), and elsewhere it costs one drawing per update. Its own _blockRedraw and _allowRedraw hold that back.
  function withoutDrawing(update) {
    network.body.emitter.emit("_blockRedraw");
    try { update(); } finally { network.body.emitter.emit("_allowRedraw"); }
  }
  // Whether anything changed; the caller draws.
  function placeLabels(force) {
    var scale = network.getScale();
    if (!force && scale === placedScale) return false;
    placedScale = scale;
    var started = performance.now();
    var want = new Map(), placed = [], grid = new Map();
    // An update of the edges costs vis-network a pass over the whole graph (~25 ms for the 3,200 edges of the
    // corpus graph), so their labels are only updated when they can be seen before the next placement.
    var edgeLabels = edgeFont.size * scale >= LABEL_MIN_PX || edgesWhileZooming;
    var still = edgeLabels ? new Set() : quiet;
    var at = network.getPositions();
    var pins = pinned();
    function shown(node) { return node && !hiddenTypes[node.kgtype] && at[node.id]; }
    if (baseFont * scale < marks.px) {
      var px = marks.px / scale, pad = 3 / scale;  // 3 px on screen: the white halo and a gap
      var low = network.DOMtoCanvas({ x: 0, y: 0 });
      var high = network.DOMtoCanvas({ x: canvasBox.clientWidth, y: canvasBox.clientHeight });
      for (var i = 0; i < marks.ids.length && placed.length < marks.labels; i++) {
        var id = marks.ids[i], node = byId[id];
        if (!shown(node)) continue;
        var b = nodeBox(node, at[id], px, pad);
        if (b.right < low.x || b.left > high.x || b.bottom < low.y || b.top > high.y) continue;  // outside
        if (meetsAny(b, placed)) continue;
        placed.push(b);
        want.set(id, px);
      }
    }
    // vis-network draws the hovered and selected nodes' labels in bold (labelHighlightBold)
    var bold = new Set(network.getSelectedNodes().concat(hovered === null ? [] : [hovered]));
    pins.forEach(function (id) {
      if (!want.has(id) && shown(byId[id])) gridAdd(grid, nodeBox(byId[id], at[id], baseFont, GAP, bold.has(id)));
    });
    // Every node and edge, not only those in the window, so that panning shows none in the way. A node's label
    // box is grown by 1 px on screen against a landmark's.
    ranked.forEach(function (node) {
      if (want.has(node.id) || pins.has(node.id) || !shown(node)) return;
      var b = nodeBox(node, at[node.id], baseFont, GAP);
      if ((placed.length && meetsAny(nodeBox(node, at[node.id], baseFont, 1 / scale), placed)) ||
          gridMeets(grid, b)) want.set(node.id, 0);
      else gridAdd(grid, b);
    });
    if (edgeLabels) {
      data.edges.forEach(function (edge) {
        var from = at[edge.from], to = at[edge.to];
        // a self-loop's label sits on its loop (PaperKG makes none); a hidden edge's is placed when shown
        if (edge.from === edge.to || !from || !to || hiddenRelations[edge.label] ||
            hiddenTypes[byId[edge.from].kgtype] || hiddenTypes[byId[edge.to].kgtype]) return;
        var b = edgeBox(edge, from, to);
        if (meetsAny(b, placed) || gridMeets(grid, b)) still.add(edge.id);
        else gridAdd(grid, b);
      });
    }
    var nodeChanges = [], edgeChanges = [];
    raised.forEach(function (size, id) {
      if (!want.has(id)) nodeChanges.push({ id: id, font: { size: baseFont, strokeWidth: 0 } });
    });
    want.forEach(function (size, id) {
      if (raised.get(id) === size) return;
      // a white halo keeps a landmark legible over the edges below it
      nodeChanges.push({ id: id, font: size ? { size: size, strokeWidth: 3 / scale, strokeColor: "#ffffff" }
                                            : { size: 0, strokeWidth: 0 } });
    });
    quiet.forEach(function (id) { if (!still.has(id)) edgeChanges.push({ id: id, font: { size: edgeFont.size } }); });
    still.forEach(function (id) { if (!quiet.has(id)) edgeChanges.push({ id: id, font: { size: 0 } }); });
    withoutDrawing(function () {
      if (nodeChanges.length) nodes.update(nodeChanges);
      if (edgeChanges.length) edges.update(edgeChanges);
    });
    raised = want;
    quiet = still;
    kg.landmarks = [];
    kg.quiet = { nodes: [], edges: Array.from(quiet) };
    kg.pinned = Array.from(pins);
    raised.forEach(function (size, id) { (size ? kg.landmarks : kg.quiet.nodes).push(id); });
    kg.placedIn = performance.now() - started;  // ms, for the tests and for measuring
    return nodeChanges.length + edgeChanges.length > 0;
  }
  function placeAndDraw(force) {
    if (placeLabels(force)) network.redraw();
  }
  // Placed before the view is drawn at a new scale; during a wheel or pinch zoom only once it has come to rest
  // (placing them at every step would cost each frame a placement).
  var settle = null, zooming = false;
  // Hover and selection change what is drawn, so vis-network draws the next frame anyway: placed before it
  // rather than at once, which would hold back the click's own events by a placement and a drawing.
  var stale = false;
  network.on("zoom", function () {
    zooming = true;
    clearTimeout(settle);
    settle = setTimeout(function () { zooming = false; placeAndDraw(false); }, 150);
  });
  network.on("beforeDrawing", function () {
    if (zooming) return;
    var force = stale;
    stale = false;
    placeLabels(force);
  });
  network.on("dragEnd", function (p) { if (p.nodes.length) placeAndDraw(true); });
  network.on("hoverNode", function (p) { hovered = p.node; stale = true; });
  network.on("blurNode", function () { hovered = null; stale = true; });
  canvasBox.addEventListener("mouseleave", function () {  // vis-network sends no blurNode then
    if (hovered !== null) { hovered = null; placeAndDraw(true); }
  });
  network.on("select", function () { stale = true; });
})();
