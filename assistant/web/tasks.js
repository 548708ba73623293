// The "Nhiệm vụ" view: every task row of the indexed documents from GET /v1/tasks, filtered by
// agency (the API resolves aliases: "VPCP", "bo noi vu") and deadline window, exported with the
// same filters, each row opening the text it was read from. Uses $, el, api and listText of
// app.js (loaded first). Document text is put on the page with textContent only.
"use strict";

const PAGE_SIZE = 50;
const SPAN_CONTEXT = 600;  // characters of the document shown either side of a task's span
// `request` numbers the loads, so an older answer arriving late never replaces a newer one.
const tasksView = { filters: {}, page: 0, shown: 0, loaded: false, opener: null, request: 0 };

function readFilters() {
  const filters = {
    agency: $("f-agency").value.trim(), due_from: $("f-due-from").value, due_to: $("f-due-to").value,
  };
  for (const key of Object.keys(filters)) if (!filters[key]) delete filters[key];
  return filters;
}

function tasksUrl(filters, extra) {
  return "v1/tasks?" + new URLSearchParams({ ...filters, ...extra }).toString();
}

// Export links carry the filters of the rows on screen (not of fields typed but not applied).
function updateExports(filters) {
  const names = { csv: "CSV", xlsx: "Excel", ics: "lịch (ICS)" };
  for (const format of Object.keys(names)) {
    const link = $("export-" + format);
    link.href = tasksUrl(filters, { format });
    link.setAttribute("aria-label", `Tải về ${names[format]} các nhiệm vụ đang hiển thị theo bộ lọc`);
  }
}

function formatDay(iso) {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

function deadlineCell(deadline) {
  if (!deadline || !deadline.text) return el("td", { "data-label": "Thời hạn", text: "Không ghi" });
  // A period ("Quý II năm 2023") is filtered by its last day: show it.
  const end = deadline.end && deadline.kind === "range"
    ? el("div", { class: "small", text: `đến ${formatDay(deadline.end)}` }) : null;
  return el("td", { "data-label": "Thời hạn" }, el("div", { text: deadline.text }), end);
}

function taskRow(t) {
  const open = el("button", { type: "button", class: "link", text: "Xem nguồn" });
  open.setAttribute("aria-label", `Xem đoạn văn bản nguồn của nhiệm vụ ${t.task_number} (${t.source})`);
  const row = el("tr", { class: "task-row" },
    el("td", { class: "num", "data-label": "Số", text: t.task_number }),
    el("td", { class: "desc", "data-label": "Nhiệm vụ" }, el("div", { class: "clamp", text: t.description })),
    el("td", { "data-label": "Chủ trì", text: listText(t.lead) || "—" }),
    el("td", { "data-label": "Phối hợp", text: listText(t.coordinate) || "—" }),
    deadlineCell(t.deadline),
    el("td", { class: "doc", "data-label": "Văn bản" }, el("div", { text: t.source }), open));
  // The whole row opens the source (a big target on a phone); the button is there for keyboards.
  row.addEventListener("click", () => openTaskSpan(t, open));
  return row;
}

function statusText(shown, total, filters) {
  if (total === 0) {
    return Object.keys(filters).length
      ? "Không có nhiệm vụ nào khớp bộ lọc. Hãy thử tên khác của cơ quan (ví dụ: VPCP, Bộ Nội vụ) hoặc nới rộng khoảng thời hạn."
      : "Chưa có nhiệm vụ nào: hãy tải lên một kế hoạch ở thẻ Văn bản.";
  }
  const which = Object.keys(filters).length ? "khớp bộ lọc" : "trong các văn bản";
  return shown < total ? `${total} nhiệm vụ ${which}; đang hiển thị ${shown}.` : `${total} nhiệm vụ ${which}.`;
}

async function loadTasks(filters, page) {
  const status = $("tasks-status");
  status.textContent = "Đang tải nhiệm vụ…";
  $("tasks-more").disabled = true;
  const request = ++tasksView.request;
  try {
    const data = await api(tasksUrl(filters, { page, page_size: PAGE_SIZE }));
    if (request !== tasksView.request) return;
    const body = $("tasks-body");
    if (page === 1) { body.replaceChildren(); tasksView.shown = 0; }
    for (const t of data.items) body.append(taskRow(t));
    Object.assign(tasksView, { filters, page, shown: tasksView.shown + data.items.length, loaded: true });
    updateExports(filters);
    status.textContent = statusText(tasksView.shown, data.total, filters);
    $("tasks-more").hidden = tasksView.shown >= data.total;
  } catch (err) {
    if (request === tasksView.request) status.textContent = err.message;
  } finally {
    $("tasks-more").disabled = false;
  }
}

function applyFilters() {
  const filters = readFilters();
  if (filters.due_from && filters.due_to && filters.due_from > filters.due_to) {
    $("tasks-status").textContent = "“Hạn từ ngày” phải trước hoặc bằng “Hạn đến ngày”; hãy sửa một trong hai ngày.";
    $("f-due-from").focus();
    return;
  }
  loadTasks(filters, 1);
}

// Called by app.js when the tab is shown: the first time, every task row.
function showTasks() {
  if (!tasksView.loaded) applyFilters();
}

// ---- a row's source span ------------------------------------------------------------------
function spanFields(t) {
  const rows = [["Chủ trì", listText(t.lead)], ["Phối hợp", listText(t.coordinate)],
    ["Thời hạn", t.deadline ? t.deadline.text : ""], ["Sản phẩm", t.product || ""]];
  return rows.filter(([, value]) => value)
    .flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: value })]);
}

function showSpan(span) {
  const box = $("task-source-text");
  const mark = el("mark", { tabindex: "-1", text: span.quote });
  const first = span.start - span.before.length, last = span.end + span.after.length;
  // "…" says the document goes on beyond the lines shown.
  box.replaceChildren(first > 0 ? "…\n" : "", span.before, mark, span.after, last < span.length ? "\n…" : "");
  // The task's first line near the top of the box, two lines of what precedes it above (a row
  // is often taller than the box, so centring it would hide its number).
  box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - 48;
}

async function openTaskSpan(t, opener) {
  const dialog = $("task-source");
  tasksView.opener = opener;
  $("task-source-title").textContent = `Nhiệm vụ ${t.task_number}`;
  $("task-source-meta").textContent = [t.source, t.section].filter(Boolean).join(" · ");
  $("task-source-fields").replaceChildren(...spanFields(t));
  $("task-source-text").textContent = "Đang tải đoạn văn bản…";
  if (!dialog.open) dialog.showModal();
  $("task-source-close").focus();
  try {
    const path = `v1/documents/${encodeURIComponent(t.source)}/tasks/${encodeURIComponent(t.task_number)}/span`;
    showSpan(await api(`${path}?context=${SPAN_CONTEXT}`));
  } catch (err) {
    $("task-source-text").textContent = err.message;
  }
}

function setupTasks() {
  $("tasks-form").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  // After the reset has emptied the fields, show every row again.
  $("tasks-form").addEventListener("reset", () => setTimeout(applyFilters));
  $("tasks-more").addEventListener("click", () => loadTasks(tasksView.filters, tasksView.page + 1));
  const dialog = $("task-source");
  $("task-source-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { if (tasksView.opener) tasksView.opener.focus(); });
  // A click on the backdrop (outside the dialog's box) closes it, as on most phone sheets.
  dialog.addEventListener("click", (e) => {
    const box = dialog.getBoundingClientRect();
    const inside = e.clientX >= box.left && e.clientX <= box.right && e.clientY >= box.top && e.clientY <= box.bottom;
    if (e.target === dialog && !inside) dialog.close();
  });
}

document.addEventListener("DOMContentLoaded", setupTasks);
