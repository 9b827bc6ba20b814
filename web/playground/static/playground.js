"use strict";
// The Lapak playground: three chats with Lapak side by side. The server keeps the transcripts and
// streams new entries; this script draws them as each pane's app would and posts what the user
// types, taps or attaches. Text from Lapak is always set as text, never parsed as HTML.
(() => {
  const API = "/playground/api";
  const TITLES = { owner: "Pemilik", reseller: "Reseller", customer: "Pelanggan" };
  const APPS = {
    telegram: { name: "Telegram", sub: "bot", placeholder: "Tulis pesan…", attach: true },
    whatsapp: { name: "WhatsApp", sub: "akun bisnis", placeholder: "Ketik pesan", attach: false },
  };
  const MAX_UPLOAD = 10 * 1024 * 1024; // the server's limit, Telegram's for photos
  const ERRORS = {
    send: "Gagal mengirim. Coba lagi.",
    tooLarge: "File terlalu besar: maksimal 10 MB.",
    refused: "File tidak bisa dikirim.",
  };
  const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;
  const LIST_BUTTON = "Lihat pilihan";
  const STATUS = { live: "Terhubung", connecting: "Menghubungkan…", down: "Terputus" };

  const panes = new Map();
  let run = "";
  let lastSeq = 0;

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function testid(e, id) {
    e.dataset.testid = id;
    return e;
  }

  // safeURL returns url if the page may open it: a web address, or a data: URL matching data.
  function safeURL(url, data) {
    try {
      const u = new URL(url, location.href);
      if (u.protocol === "http:" || u.protocol === "https:") return u.href;
      if (u.protocol === "data:" && data && data.test(url)) return url;
    } catch (_) {
      // not a URL: nothing to open
    }
    return "";
  }

  // Panes and tabs.

  function buildPane(p) {
    const channel = p.chat.channel;
    const app = APPS[channel] || APPS.telegram;
    const title = TITLES[p.id] || p.user_name;
    const node = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
    node.classList.add("ch-" + channel);
    Object.assign(node.dataset, { testid: "pane-" + p.id, pane: p.id, channel });
    node.querySelector(".pane-title").textContent = title;
    node.querySelector(".pane-who").textContent = p.user_name + " · " + app.name;
    node.querySelector(".chat-sub").textContent = app.sub;
    const pane = {
      id: p.id, channel, el: node,
      list: node.querySelector(".messages"),
      input: node.querySelector("[data-testid=input]"),
      file: node.querySelector("[data-testid=file]"),
      error: node.querySelector(".send-error"),
      sheet: node.querySelector(".sheet"),
      rows: node.querySelector(".sheet-rows"),
    };
    pane.input.placeholder = app.placeholder;
    node.querySelector("[data-testid=attach]").hidden = !app.attach;
    pane.file.addEventListener("change", () => sendFile(pane));
    node.querySelector("form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      sendText(pane);
    });
    node.querySelector(".sheet-close").addEventListener("click", () => closeSheet(pane));
    pane.sheet.addEventListener("click", (ev) => { if (ev.target === pane.sheet) closeSheet(pane); });
    pane.tab = addTab(pane, title);
    document.querySelector(".panes").append(node);
    panes.set(p.id, pane);
  }

  function addTab(pane, title) {
    const b = testid(el("button", "tab", title), "tab-" + pane.id);
    b.type = "button";
    b.setAttribute("role", "tab");
    b.addEventListener("click", () => activate(pane.id));
    document.querySelector(".tabs").append(b);
    return b;
  }

  // activate shows one pane on a narrow screen; wide screens show them all.
  function activate(id) {
    for (const p of panes.values()) {
      const on = p.id === id;
      p.el.classList.toggle("active", on);
      p.tab.classList.toggle("active", on);
      p.tab.setAttribute("aria-selected", String(on));
      if (on) {
        p.tab.classList.remove("unread");
        scrollDown(p);
      }
    }
  }

  // Entries.

  function render(e, live) {
    if (e.seq <= lastSeq) return;
    lastSeq = e.seq;
    const pane = panes.get(e.pane);
    if (!pane) return;
    const node = e.from === "user" ? userNode(e, pane) : botNode(e, pane);
    Object.assign(node.dataset, { testid: "msg", from: e.from, seq: String(e.seq) });
    const stick = nearBottom(pane.list) || e.from === "user";
    pane.list.append(node);
    if (stick) scrollDown(pane);
    if (live && !pane.el.classList.contains("active")) pane.tab.classList.add("unread");
  }

  function userNode(e, pane) {
    if (e.option && pane.channel === "telegram") {
      // Telegram shows nothing in the chat for a button tap; the playground notes it quietly.
      const n = el("div", "msg tap");
      n.append(testid(el("span", "tap-note", "▸ " + (e.text || e.option)), "msg-text"));
      return n;
    }
    const n = el("div", "msg out");
    const b = el("div", "bubble");
    const photo = e.photo ? safeURL(e.photo, null) : "";
    if (photo) b.append(photoNode(photo, pane));
    if (e.document) b.append(documentNode(e.document));
    const text = testid(el("div", "text"), "msg-text");
    richText(text, e.text || "");
    b.append(text, stamp(e, true));
    n.append(b);
    return n;
  }

  function botNode(e, pane) {
    const m = e.reply || { text: "" };
    const layout = m.layout || {};
    const n = el("div", "msg in");
    const b = el("div", "bubble");
    const photo = m.photo ? safeURL(m.photo, /^data:image\//) : "";
    if (photo) b.append(photoNode(photo, pane));
    else if (m.photo_file_id) b.append(el("div", "photo missing", "🖼"));
    if (m.document) b.append(documentNode(m.document));
    const text = testid(el("div", "text"), "msg-text");
    let body = m.text;
    if (layout.style === "numbered") {
      body += "\n\n" + layout.rows.map((r, i) => (i + 1) + ". " + r[0].label).join("\n");
    }
    richText(text, body);
    b.append(text, stamp(e, false));
    n.append(b);
    const extra = optionsNode(layout, pane);
    if (extra) n.append(extra);
    return n;
  }

  function photoNode(src, pane) {
    const img = testid(el("img", "photo"), "photo");
    img.alt = "";
    img.src = src;
    img.addEventListener("load", () => { if (nearBottom(pane.list, 400)) scrollDown(pane); });
    // A file the playground no longer keeps, or a photo address that does not answer.
    img.addEventListener("error", () => img.replaceWith(testid(el("div", "photo missing", "🖼"), "photo-missing")));
    return img;
  }

  function documentNode(doc) {
    const a = testid(el("a", "document", "📄 " + doc.name), "document");
    const href = safeURL(doc.url, /^data:/);
    if (href) {
      a.href = href;
      a.download = doc.name;
    }
    return a;
  }

  // richText sets text in node as text, with its web addresses made links that open in a new
  // tab, as chat apps show them.
  function richText(node, text) {
    let from = 0;
    for (const m of text.matchAll(URL_IN_TEXT)) {
      const url = m[0].replace(/[.,;:!?)\]]+$/, ""); // closing punctuation ends a sentence, not the address
      const href = safeURL(url, null);
      if (!href) continue;
      node.append(text.slice(from, m.index), newTab(testid(el("a", "text-link", url), "text-link"), href));
      from = m.index + url.length;
    }
    node.append(text.slice(from));
  }

  function newTab(a, href) {
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function stamp(e, out) {
    const s = el("span", "time", hhmm(e.at));
    if (out) s.append(el("span", "ticks", " ✓✓"));
    return s;
  }

  function hhmm(at) {
    const d = new Date(at);
    return isNaN(d) ? "" : d.toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
  }

  // Options, as each channel shows them.

  function optionsNode(layout, pane) {
    const rows = layout.rows || [];
    const links = layout.links || [];
    if (pane.channel === "telegram") return rows.length || links.length ? keyboard(rows, links, pane) : null;
    if (layout.style === "buttons") return waButtons(rows, links, pane);
    if (layout.style === "list") return waList(rows, links, pane);
    return links.length ? waButtons([], links, pane) : null;
  }

  function keyboard(rows, links, pane) {
    const k = testid(el("div", "keyboard"), "keyboard");
    for (const row of rows) {
      const r = el("div", "kb-row");
      for (const b of row) r.append(optionButton(b, pane, "kb-btn"));
      k.append(r);
    }
    for (const l of links) {
      const r = el("div", "kb-row");
      r.append(linkButton(l, "kb-btn kb-link"));
      k.append(r);
    }
    return k;
  }

  function waButtons(rows, links, pane) {
    const box = testid(el("div", "wa-buttons"), "reply-buttons");
    for (const row of rows) box.append(optionButton(row[0], pane, "wa-btn"));
    for (const l of links) box.append(linkButton(l, "wa-btn wa-link"));
    return box;
  }

  function waList(rows, links, pane) {
    const box = el("div", "wa-buttons");
    const open = testid(el("button", "wa-btn wa-list", "☰ " + LIST_BUTTON), "list-open");
    open.type = "button";
    open.addEventListener("click", () => openSheet(pane, rows));
    box.append(open);
    for (const l of links) box.append(linkButton(l, "wa-btn wa-link"));
    return box;
  }

  function optionButton(b, pane, className) {
    const btn = testid(el("button", className, b.label), "option");
    btn.type = "button";
    btn.dataset.optionId = b.id;
    btn.addEventListener("click", () => tap(pane, b));
    return btn;
  }

  function linkButton(l, className) {
    const a = testid(el("a", className, l.label), "link");
    const href = safeURL(l.url, null);
    return href ? newTab(a, href) : a;
  }

  function openSheet(pane, rows) {
    pane.rows.replaceChildren(...rows.map((row) => {
      const b = optionButton(row[0], pane, "sheet-row");
      b.dataset.testid = "list-row";
      b.addEventListener("click", () => closeSheet(pane));
      return b;
    }));
    pane.sheet.hidden = false;
  }

  function closeSheet(pane) {
    pane.sheet.hidden = true;
  }

  // Sending.

  function sendText(pane) {
    const text = pane.input.value;
    if (!text.trim()) return;
    pane.input.value = "";
    pane.input.focus();
    post(pane, { text });
  }

  function tap(pane, b) {
    post(pane, { option: b.id, label: b.label });
  }

  function post(pane, body) {
    request(pane, API + "/send", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({ pane: pane.id }, body)),
    });
  }

  // sendFile uploads the file chosen in a pane, with the typed text as its caption, as a photo
  // is sent on Telegram.
  function sendFile(pane) {
    const file = pane.file.files[0];
    pane.file.value = ""; // the same file can be chosen again
    if (!file) return;
    if (file.size > MAX_UPLOAD) {
      showError(pane, ERRORS.tooLarge);
      return;
    }
    const form = new FormData();
    form.append("pane", pane.id);
    form.append("caption", pane.input.value);
    form.append("file", file, file.name);
    pane.input.value = "";
    request(pane, API + "/upload", { method: "POST", body: form });
  }

  async function request(pane, url, init) {
    let status = 0;
    try {
      status = (await fetch(url, init)).status;
    } catch (_) {
      status = 0;
    }
    if (status >= 200 && status < 300) {
      pane.error.hidden = true;
      return;
    }
    if (status === 413) showError(pane, ERRORS.tooLarge);
    else if (status === 400 && init.body instanceof FormData) showError(pane, ERRORS.refused);
    else showError(pane, ERRORS.send);
  }

  function showError(pane, text) {
    pane.error.textContent = text;
    pane.error.hidden = false;
  }

  // Scrolling.

  function nearBottom(list, slack) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < (slack || 80);
  }

  function scrollDown(pane) {
    pane.list.scrollTop = pane.list.scrollHeight;
  }

  // The stream of new entries.

  function setStatus(state) {
    const s = document.querySelector("[data-testid=status]");
    s.dataset.state = state;
    s.textContent = STATUS[state];
  }

  function connect() {
    const es = new EventSource(API + "/stream?after=" + lastSeq);
    es.addEventListener("hello", (ev) => {
      if (JSON.parse(ev.data).run !== run) location.reload(); // the playground restarted
      setStatus("live");
    });
    es.onmessage = (ev) => render(JSON.parse(ev.data), true);
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) {
        setStatus("connecting");
        return;
      }
      setStatus("down");
      setTimeout(connect, 2000);
    };
  }

  async function boot() {
    let h;
    try {
      const res = await fetch(API + "/history", { cache: "no-store" });
      if (!res.ok) throw new Error(res.statusText);
      h = await res.json();
    } catch (_) {
      setStatus("down");
      setTimeout(boot, 2000);
      return;
    }
    run = h.run;
    h.panes.forEach(buildPane);
    if (h.panes.length) activate(h.panes[0].id);
    h.entries.forEach((e) => render(e, false));
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") panes.forEach(closeSheet);
    });
    connect();
  }

  boot();
})();
