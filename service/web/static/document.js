"use strict";
// The document view: page images with every extracted value outlined, the fields beside them.

const GROUPS = [
  ["header", "Thông tin chung"], ["legal", "Căn cứ"], ["movement", "Phong trào thi đua"], ["theme", "Chủ đề"],
  ["phase", "Các đợt thi đua"], ["anniversary", "Ngày kỷ niệm"], ["signer", "Người ký"], ["recipient", "Nơi nhận"],
];
const HEADER_FIELDS = [
  ["number", "Số, ký hiệu"], ["doc_type", "Loại văn bản"], ["parent_issuer", "Cơ quan chủ quản"],
  ["issuer", "Cơ quan ban hành"], ["place", "Địa danh"], ["issued_date", "Ngày ban hành"], ["title", "Trích yếu"],
];

function viDate(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-");
  return `${+d}/${+m}/${y}`;
}

function fieldItems(doc) {
  const items = [];
  const add = (group, label, text, value, extra = {}) => {
    if (value && text) items.push({ group, label, text, boxes: value.boxes || [], confidence: value.confidence ?? 1, ...extra });
  };
  for (const [key, label] of HEADER_FIELDS) {
    const v = doc[key];
    if (v && v.value) add("header", label, key === "issued_date" ? `${viDate(v.value)} (${v.raw || ""})` : v.value, v,
                          key === "parent_issuer" ? {} : { edit: { field: key, value: v.value } });
  }
  doc.legal_bases.forEach(b => add("legal", "", b.text, b));
  doc.movements.forEach((m, i) => add("movement", m.kind || "", m.name + (m.period ? ` (${m.period})` : ""), m,
                                 { note: m.canonical_name && m.canonical_name !== m.name ? `= ${m.canonical_name}` : "",
                                   edit: { field: "movements", index: i, value: m.name } }));
  (doc.themes || []).forEach(t => add("theme", "", t.text, t));
  doc.phases.forEach(p => add("phase", p.label || "", `${viDate(p.start)} – ${viDate(p.end)}`, p, {
    children: (p.anniversaries || []).map(i => doc.anniversaries[i]).filter(Boolean)
      .map(a => `${viDate(a.anniversary_date)}: ${a.years} năm ${a.event}`),
  }));
  doc.anniversaries.forEach(a => add("anniversary", viDate(a.anniversary_date), `${a.years} năm ${a.event}`, a, {
    note: a.origin_date ? `từ ${viDate(a.origin_date)}` : "",
    warn: a.consistent === false ? "số năm không khớp với năm của kế hoạch" : "",
  }));
  const s = doc.signer || {};
  [["authority", "Thẩm quyền"], ["position", "Chức vụ"], ["name", "Họ tên"]].forEach(([k, label]) => {
    if (s[k]) add("signer", label, s[k].value, s[k], { edit: { field: `signer.${k}`, value: s[k].value } });
  });
  doc.recipients.forEach(r => add("recipient", "", r.text, r));
  return items;
}

// The body of a PATCH that changes one value (ANNOTATION.md keys; movements go as the whole list).
function correctionBody(doc, edit, value) {
  if (edit.field === "movements") {
    const names = doc.movements.map(m => m.name);
    if (value) names[edit.index] = value; else names.splice(edit.index, 1);
    return { movements: names };
  }
  if (edit.field.startsWith("signer.")) return { signer: { [edit.field.slice(7)]: value || null } };
  return { [edit.field]: value || null };
}

function startEditing(li, it, onSave) {
  if (li.querySelector("input.edit-input")) return;
  const valueEl = li.querySelector(".value");
  const input = el("input", { class: "edit-input", type: "text" });
  input.value = it.edit.value || "";
  const save = el("button", { type: "button", class: "edit-save", text: "Lưu" });
  const cancel = el("button", { type: "button", class: "edit-cancel", text: "Hủy" });
  const form = el("span", { class: "edit-form" }, input, save, cancel);
  valueEl.hidden = true;
  valueEl.after(form);
  input.focus();
  const stop = () => { form.remove(); valueEl.hidden = false; };
  const submit = async () => {
    save.disabled = true;
    if (!(await onSave(it.edit, input.value.trim()))) save.disabled = false;
  };
  for (const n of [input, save, cancel]) n.addEventListener("click", e => e.stopPropagation());
  save.addEventListener("click", submit);
  cancel.addEventListener("click", stop);
  input.addEventListener("keydown", e => {
    e.stopPropagation();
    if (e.key === "Enter") submit();
    if (e.key === "Escape") stop();
  });
}

function renderDocument(doc, root, pageUrl, options = {}) {
  root.replaceChildren();
  const pages = el("div", { class: "pages" });
  const fields = el("aside", { class: "fields" });
  root.append(pages, fields);
  const sizes = doc.source.page_sizes || [];
  const pageEls = sizes.map(([w, h], i) => {
    const wrap = el("div", { class: "page", id: `page-${i + 1}` });
    wrap.style.aspectRatio = `${w} / ${h}`;
    const img = el("img", { src: pageUrl(i + 1), alt: `Trang ${i + 1}`, loading: i < 2 ? "eager" : "lazy" });
    img.addEventListener("error", () => wrap.append(el("p", { class: "page-error", text: `Không hiển thị được trang ${i + 1}` })));
    wrap.append(img, el("span", { class: "page-number", text: `Trang ${i + 1}` }));
    pages.append(wrap);
    return wrap;
  });

  if (doc.warnings && doc.warnings.length) {
    fields.append(el("section", { class: "warnings" }, el("h2", { text: "Cần kiểm tra lại" }),
      el("ul", {}, ...doc.warnings.map(w => el("li", { text: warningText(w) })))));
  }
  const items = fieldItems(doc);
  for (const [group, title] of GROUPS) {
    const mine = items.filter(it => it.group === group);
    if (!mine.length) continue;
    const list = el("ul", {});
    fields.append(el("section", { class: `group group-${group}`, "data-group": group }, el("h2", { text: `${title} (${mine.length})` }), list));
    for (const it of mine) {
      const id = `f${items.indexOf(it)}`;
      const li = el("li", { class: "field", "data-field": id, tabindex: "0" });
      if (it.label) li.append(el("span", { class: "label", text: it.label }));
      li.append(el("span", { class: "value", text: it.text }));
      const corrected = it.edit && (it.edit.field === "movements" ? doc.movements[it.edit.index].corrected
        : it.edit.field.startsWith("signer.") ? ((doc.signer || {})[it.edit.field.slice(7)] || {}).corrected
          : (doc[it.edit.field] || {}).corrected);
      if (corrected) li.append(el("span", { class: "corrected", text: "đã sửa" }));
      if (options.onSave && it.edit) {
        const button = el("button", { type: "button", class: "edit", title: "Sửa giá trị này", text: "Sửa" });
        button.addEventListener("click", e => { e.stopPropagation(); startEditing(li, it, options.onSave); });
        li.append(button);
      }
      if (it.note) li.append(el("span", { class: "note", text: it.note }));
      if (it.warn) li.append(el("span", { class: "warn", text: it.warn }));
      if (it.confidence < 0.8) li.append(el("span", { class: "warn", text: `độ tin cậy thấp (${Math.round(it.confidence * 100)}%): “${it.text}” cần kiểm tra` }));
      if (it.children && it.children.length) li.append(el("ul", { class: "children" }, ...it.children.map(t => el("li", { text: t }))));
      list.append(li);
      for (const b of it.boxes) {
        const page = pageEls[b.page - 1];
        if (!page) continue;
        const [w, h] = sizes[b.page - 1];
        const [x0, top, x1, bottom] = b.bbox;
        const box = el("div", { class: `box box-${group}`, "data-field": id, title: it.text });
        Object.assign(box.style, { left: `${x0 / w * 100}%`, top: `${top / h * 100}%`,
                                   width: `${(x1 - x0) / w * 100}%`, height: `${(bottom - top) / h * 100}%` });
        box.addEventListener("click", () => focusField(root, id, false));
        page.append(box);
      }
      const go = () => focusField(root, id, true);
      li.addEventListener("click", go);
      li.addEventListener("keydown", e => { if (e.key === "Enter") go(); });
    }
  }
  if (!items.length) fields.append(el("p", { class: "empty", text: "Không tìm thấy thông tin nào trong văn bản này." }));
}

function focusField(root, id, scrollToBox) {
  root.querySelectorAll(".focused").forEach(n => n.classList.remove("focused"));
  const targets = root.querySelectorAll(`[data-field="${id}"]`);
  targets.forEach(n => n.classList.add("focused"));
  const box = root.querySelector(`.box[data-field="${id}"]`);
  const item = root.querySelector(`.field[data-field="${id}"]`);
  const target = scrollToBox ? box : item;
  if (target) target.scrollIntoView({ behavior: "smooth", block: "center" });
}

// warnings in plain Vietnamese: the field's Vietnamese name, the Vietnamese half of the message (the doubtful word
// is quoted in it)
const FIELD_NAMES_VI = {
  number: "Số, ký hiệu", issued_date: "Ngày ban hành", title: "Trích yếu", doc_type: "Loại văn bản",
  issuer: "Cơ quan ban hành", parent_issuer: "Cơ quan chủ quản", place: "Địa danh", signer: "Người ký",
  "signer.name": "Họ tên người ký", "signer.position": "Chức vụ người ký", "signer.authority": "Thẩm quyền ký",
  movements: "Phong trào", recipients: "Nơi nhận", phases: "Giai đoạn", anniversaries: "Ngày kỷ niệm",
};
function warningText(w) {
  const name = w.field ? (FIELD_NAMES_VI[w.field] || w.field) : "";
  let text = w.message.split(" / ")[0];
  if (w.field) text = text.replace("trường " + w.field, "“" + name + "”");
  return (name && !text.includes(name) ? name + ": " : "") + text + (w.page ? ` (trang ${w.page})` : "");
}
