"use strict";
// Shared by every page: show an error or notice in plain words, never a blank screen.

function showMessage(text, kind = "error") {
  const box = document.getElementById("message");
  box.textContent = "";
  const close = el("button", { type: "button", class: "close", "aria-label": "Đóng", title: "Đóng", text: "×" });
  close.addEventListener("click", () => { box.hidden = true; });
  box.append(el("span", { class: "message-text", text }), close);
  box.className = "message " + kind;
  box.hidden = false;
  if (kind !== "error") setTimeout(() => { box.hidden = true; }, 6000);
}

async function errorText(response) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) return body.error.message;
  } catch (_) { /* not JSON */ }
  return `Lỗi ${response.status}: máy chủ không trả lời được yêu cầu này`;
}

// the session's CSRF token (signed-in pages): every write the pages send carries it
function csrfHeaders(extra = {}) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? { ...extra, "X-CSRF-Token": meta.content } : extra;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

window.addEventListener("unhandledrejection", e => showMessage("Có lỗi không mong muốn: " + (e.reason && e.reason.message || e.reason)));

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("time[data-epoch]").forEach(t => {
    t.textContent = new Date(parseFloat(t.dataset.epoch) * 1000).toLocaleString("vi-VN");
  });
});
