"use strict";
// The upload page: send the file with progress, then show what was found.

(() => {
  const input = document.getElementById("file");
  const drop = document.getElementById("drop");
  const progress = document.getElementById("progress");
  const bar = document.getElementById("bar");
  const status = document.getElementById("status");
  const chooser = document.getElementById("chooser");
  const result = document.getElementById("result");
  let current = null;

  input.addEventListener("change", () => input.files[0] && send(input.files[0]));
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files[0]) send(e.dataTransfer.files[0]);
  });

  function send(file) {
    const form = new FormData();
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/ui/preview?ocr=" + document.getElementById("ocr").value);
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    progress.hidden = false;
    bar.removeAttribute("value");
    bar.value = 0;
    status.textContent = "Đang tải lên…";
    xhr.upload.onprogress = e => { if (e.lengthComputable) bar.value = e.loaded / e.total * 100; };
    xhr.upload.onload = () => { bar.removeAttribute("value"); status.textContent = "Đang đọc tài liệu…"; };
    xhr.onerror = () => fail(`${file.name}: không kết nối được với máy chủ. Hãy thử lại.`);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* handled below */ }
      if (xhr.status === 200 && body && body.document) return show(body);
      fail(`${file.name}: ` + (body && body.error ? body.error.message : `Lỗi ${xhr.status}: máy chủ không đọc được tệp này.`));
    };
    xhr.send(form);
  }

  function fail(text) {
    progress.hidden = true;
    input.value = "";
    showMessage(text);
  }

  function show(body) {
    current = body;
    progress.hidden = true;
    chooser.hidden = true;
    result.hidden = false;
    document.getElementById("filename").textContent = body.document.source.file;
    document.getElementById("kept").hidden = true;
    document.getElementById("keep").disabled = false;
    renderDocument(body.document, document.getElementById("document"), n => `/ui/preview/${body.id}/pages/${n}.png`);
  }

  document.getElementById("download").addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(current.document, null, 1)], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: current.document.source.file.replace(/\.[^.]+$/, "") + ".json" });
    document.body.append(a);
    a.click();
    a.remove();
  });

  document.getElementById("keep").addEventListener("click", async () => {
    const button = document.getElementById("keep");
    button.disabled = true;
    const response = await fetch(`/ui/preview/${current.id}/keep`, { method: "POST", headers: csrfHeaders() });
    if (!response.ok) { button.disabled = false; return showMessage(await errorText(response)); }
    const kept = await response.json();
    const link = document.getElementById("kept");
    link.href = kept.url;
    link.textContent = "Đã lưu vào kho — mở văn bản";
    link.hidden = false;
    showMessage("Đã lưu văn bản vào kho.", "notice");
  });

  document.getElementById("again").addEventListener("click", () => {
    result.hidden = true;
    chooser.hidden = false;
    input.value = "";
  });
})();
