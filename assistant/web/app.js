// The chat page: plain JavaScript, no build step, no CDN. Every piece of data is put on the
// page with textContent (never innerHTML), so document text cannot inject markup.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { conversationId: sessionStorage.getItem("cchc.conversation") || null, busy: false };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const isJson = (response.headers.get("content-type") || "").includes("application/json");
  const body = isJson ? await response.json() : null;
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `Lỗi ${response.status}`;
    throw new Error(message);
  }
  return body;
}

// ---- tabs -----------------------------------------------------------------------------
const TABS = ["chat", "tasks", "docs"];

function selectTab(name) {
  for (const tab of TABS) {
    const on = tab === name;
    $("tab-" + tab).setAttribute("aria-selected", String(on));
    $("tab-" + tab).tabIndex = on ? 0 : -1;
    $("panel-" + tab).hidden = !on;
  }
  if (name === "docs") loadDocuments();
  if (name === "tasks") showTasks();  // tasks.js
}

function setupTabs() {
  const tabs = TABS.map((name) => $("tab-" + name));
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab.id.slice(4)));
    tab.addEventListener("keydown", (e) => {  // arrow keys move between tabs
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      selectTab(next.id.slice(4));
    });
  });
}

// ---- chat -----------------------------------------------------------------------------
function addMessage(node) {
  $("messages").append(node);
  node.scrollIntoView({ block: "nearest" });
}

function listText(value) {
  if (Array.isArray(value)) return value.filter(Boolean).join("; ");
  if (value && typeof value === "object") return value.text || "";
  return value || "";
}

function answerFields(answer) {
  const f = answer.fields || {};
  const t = (answer.tasks || [])[0] || {};
  return [
    ["Chủ trì", listText(f.lead) || listText(t.lead)],
    ["Phối hợp", listText(f.coordinate) || listText(t.coordinate)],
    ["Thời hạn", listText(f.deadline) || listText(t.deadline)],
  ].filter(([, value]) => value);
}

function citationItem(c, n) {
  const where = [c.document_number, c.section, c.task_number ? `Nhiệm vụ ${c.task_number}` : null]
    .filter(Boolean).join(" · ");
  const summary = el("summary", { text: `[${n}] ${c.source}${where ? " — " + where : ""}` });
  const open = el("button", { type: "button", class: "link", text: "Xem trong văn bản" });
  open.addEventListener("click", () => openSource(c));
  return el("li", {}, el("details", {}, summary, el("blockquote", { text: c.quote }), open));
}

function renderAnswer(answer) {
  const notFound = answer.status !== "answered";
  const node = el("li", { class: "msg bot" + (notFound ? " not-found" : "") },
    el("p", { class: "who", text: notFound ? "Trợ lý — không tìm thấy" : "Trợ lý" }),
    el("p", { class: "text", text: answer.answer }));
  const fields = answerFields(answer);
  if (!notFound && fields.length) {
    const dl = el("dl", { class: "fields" });
    for (const [name, value] of fields) dl.append(el("dt", { text: name }), el("dd", { text: value }));
    node.append(dl);
  }
  if ((answer.citations || []).length) {
    const list = el("ol", { class: "cites", "aria-label": "Trích dẫn" });
    answer.citations.forEach((c, i) => list.append(citationItem(c, i + 1)));
    node.append(list);
  }
  addMessage(node);
}

async function ask(question) {
  state.busy = true;
  $("send").disabled = true;
  $("ask-status").textContent = "Đang tìm câu trả lời…";
  addMessage(el("li", { class: "msg user" }, el("p", { class: "who", text: "Bạn" }), el("p", { class: "text", text: question })));
  try {
    const answer = await api("v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question, conversation_id: state.conversationId }),
    });
    state.conversationId = answer.conversation_id;
    sessionStorage.setItem("cchc.conversation", answer.conversation_id);
    renderAnswer(answer);
    $("ask-status").textContent = "";
  } catch (err) {
    addMessage(el("li", { class: "msg error", role: "alert" }, el("p", { class: "text", text: err.message })));
    $("ask-status").textContent = "";
  } finally {
    state.busy = false;
    $("send").disabled = false;
  }
}

function setupChat() {
  const form = $("ask-form");
  const input = $("question");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const question = input.value.trim();
    if (!question || state.busy) return;
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", (e) => {  // Enter sends, Shift+Enter is a new line
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  $("new-chat").addEventListener("click", () => {
    state.conversationId = null;
    sessionStorage.removeItem("cchc.conversation");
    $("messages").replaceChildren();
    $("source-view").hidden = true;
    $("ask-status").textContent = "Đã bắt đầu cuộc hội thoại mới.";
    input.focus();
  });
}

// ---- source view ----------------------------------------------------------------------
async function openSource(c) {
  const id = encodeURIComponent(c.document_id || c.source);
  const view = $("source-view");
  const box = $("source-text");
  $("source-title").textContent = c.source;
  $("source-meta").textContent = "Đang tải văn bản…";
  view.hidden = false;
  try {
    const doc = await api(`v1/documents/${id}/text?start=${c.start}&end=${c.end}&context=0`);
    const mark = el("mark", { id: "cited", tabindex: "-1", text: doc.quote });
    box.replaceChildren(doc.text.slice(0, doc.start), mark, doc.text.slice(doc.end));
    $("source-meta").textContent = [c.document_number, c.section].filter(Boolean).join(" · ");
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  } catch (err) {
    box.replaceChildren();
    $("source-meta").textContent = err.message;
  }
}

function setupSource() {
  $("source-close").addEventListener("click", () => {
    $("source-view").hidden = true;
    $("question").focus();
  });
}

// ---- documents and upload -------------------------------------------------------------
async function loadDocuments() {
  const status = $("docs-status");
  status.textContent = "Đang tải danh sách…";
  try {
    const data = await api("v1/documents");
    const list = $("docs");
    list.replaceChildren();
    for (const d of data.documents) list.append(documentItem(d));
    status.textContent = `${data.documents.length} văn bản, ${data.counts.tasks || 0} nhiệm vụ.`;
  } catch (err) {
    status.textContent = err.message;
  }
}

function documentItem(d) {
  const facts = [d.type, d.number, d.date, `${d.tasks} nhiệm vụ`, d.articles ? `${d.articles} điều` : null]
    .filter(Boolean).join(" · ");
  const remove = el("button", { type: "button", class: "link", text: "Xóa" });
  remove.setAttribute("aria-label", `Xóa văn bản ${d.source}`);
  remove.addEventListener("click", () => deleteDocument(d));
  return el("li", {}, el("div", { class: "name", text: d.source }),
    d.title ? el("div", { text: d.title }) : null, el("div", { class: "small", text: facts }), remove);
}

function apiKey() {
  const key = $("api-key").value.trim();
  if (key) sessionStorage.setItem("cchc.key", key);
  return key;
}

async function deleteDocument(d) {
  const key = apiKey();
  if (!key) { $("docs-status").textContent = "Hãy nhập khóa API trước khi xóa."; $("api-key").focus(); return; }
  if (!window.confirm(`Xóa văn bản “${d.source}”?`)) return;
  try {
    await api(`v1/documents/${encodeURIComponent(d.id)}`, { method: "DELETE", headers: { "X-API-Key": key } });
    await loadDocuments();
    $("docs-status").textContent = `Đã xóa ${d.source}.`;
  } catch (err) {
    $("docs-status").textContent = err.message;
  }
}

function showJob(job) {
  $("upload-bar").max = Math.max(1, job.total);
  $("upload-bar").value = job.processed;
  const labels = { queued: "đang chờ", running: "đang xử lý", done: "hoàn tất", failed: "thất bại" };
  $("upload-status").textContent = `Đã xử lý ${job.processed}/${job.total} tệp — ${labels[job.status] || job.status}`;
  const list = $("upload-files");
  list.replaceChildren();
  for (const f of job.files) {
    const text = f.status === "error"
      ? `${f.filename}: LỖI — ${f.error}`
      : `${f.source || f.filename}: ${f.status}${f.tasks ? ` (${f.tasks} nhiệm vụ)` : ""}`;
    list.append(el("li", { class: f.status === "error" ? "error" : "", text }));
  }
}

async function pollJob(url) {
  for (;;) {
    const job = await api(url.replace(/^\//, ""));
    showJob(job);
    if (job.status === "done" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 800));
  }
}

function setupUpload() {
  $("api-key").value = sessionStorage.getItem("cchc.key") || "";
  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const files = $("files").files;
    const key = apiKey();
    if (!files.length || !key) return;
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    $("upload-progress").hidden = false;
    $("upload-status").textContent = "Đang gửi tệp…";
    $("upload-files").replaceChildren();
    try {
      const accepted = await api("v1/documents", { method: "POST", headers: { "X-API-Key": key }, body: form });
      showJob(accepted.job);
      await pollJob(accepted.status_url);
      $("files").value = "";
      await loadDocuments();
    } catch (err) {
      $("upload-status").textContent = err.message;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupTabs();
  setupChat();
  setupSource();
  setupUpload();
});
