"use strict";
// Bulk upload on the upload page: many files, a folder or a .zip, one row per file with its own progress, kept
// straight into the archive (with the signed-in user's rights); a cancel stops what has not finished.

(() => {
  const rows = document.getElementById("bulk-rows");
  const summary = document.getElementById("bulk-summary");
  const cancel = document.getElementById("bulk-cancel");
  const KINDS = /\.(pdf|docx|zip)$/i;
  let queue = [];
  let current = null;
  let cancelled = false;
  const documents = new Set();
  let kept = 0;
  let failed = 0;

  for (const id of ["bulk-files", "bulk-folder"]) {
    const input = document.getElementById(id);
    input.addEventListener("change", () => { add([...input.files]); input.value = ""; });
  }
  cancel.addEventListener("click", () => {
    cancelled = true;
    for (const job of queue) job.done("cancelled", "Đã hủy");
    queue = [];
    if (current) {
      const { xhr, jobId } = current;
      // the server stops reading (its worker is ended), then the request is dropped
      fetch(`/api/v1/jobs/${jobId}`, { method: "DELETE", headers: csrfHeaders() }).catch(() => {}).finally(() => xhr.abort());
    }
  });

  function newJobId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return [...bytes].map(b => b.toString(16).padStart(2, "0")).join("");
  }

  // "trang 2/5, còn khoảng 8 giây": the reading's progress, from the job status endpoint
  async function poll(job, jobId, started) {
    const s = Math.round((Date.now() - started) / 1000);
    let text = `Đang đọc tài liệu… ${s} giây`;
    try {
      const r = await fetch(`/api/v1/jobs/${jobId}`);
      if (r.ok) {
        const st = await r.json();
        if (st.stage === "ocr" && st.pages_total) {
          job.bar.max = st.pages_total;
          job.bar.value = st.pages_done;
          text = `Đang nhận dạng chữ: xong ${st.pages_done}/${st.pages_total} trang` +
                 (st.eta_s !== null ? `, còn khoảng ${Math.max(1, Math.round(st.eta_s))} giây` : "") + ` (${s} giây)`;
        }
      }
    } catch (_) { /* the next poll tries again */ }
    if (job.li.classList.contains("running")) job.status.textContent = text;
  }

  function add(files) {
    const wanted = files.filter(f => KINDS.test(f.name));
    for (const f of files.filter(f => !KINDS.test(f.name))) row(f.name).done("skipped", "Bỏ qua: không phải PDF, DOCX hay .zip");
    cancelled = false;
    for (const file of wanted) queue.push({ file, ...row(file.name) });
    cancel.hidden = queue.length === 0 && !current;
    next();
  }

  function row(name) {
    const bar = el("progress", { max: "100", value: "0" });
    const status = el("span", { class: "bulk-status", text: "Đang chờ…" });
    const li = el("li", { class: "bulk-row waiting" }, el("span", { class: "bulk-name", text: name }), bar, status);
    rows.append(li);
    return {
      li, bar, status, name,
      done(kind, text, link) {
        li.className = "bulk-row " + kind;
        bar.hidden = true;
        status.textContent = text;
        if (link) status.append(" ", el("a", { href: link, text: "mở văn bản" }));
      },
    };
  }

  function tally() {
    summary.hidden = false;
    summary.textContent = `${kept} tệp đã lưu thành ${documents.size} văn bản` + (failed ? `, ${failed} tệp lỗi` : "") +
      (queue.length || current ? `, còn ${queue.length + (current ? 1 : 0)} tệp` : "");
  }

  function kept1(job, body) {
    kept += 1;
    documents.add(body.document_id);
    const note = body.files > 1 ? `Đã lưu, cùng văn bản với ${body.files - 1} tệp khác` : (body.created ? "Đã lưu" : "Đã có trong kho");
    job.done("ok", note, body.url);
  }

  function next() {
    tally();
    if (current || cancelled) return;
    const job = queue.shift();
    if (!job) { cancel.hidden = true; return; }
    const zip = /\.zip$/i.test(job.file.name);
    const form = new FormData();
    form.append("file", job.file, job.file.name);
    const xhr = new XMLHttpRequest();
    const jobId = newJobId();
    current = { job, xhr, jobId };
    const started = Date.now();
    let timer = null;
    const ocr = "?ocr=" + document.getElementById("ocr").value;
    xhr.open("POST", zip ? "/api/v1/documents/zip" + ocr : "/api/v1/documents" + ocr + "&job=" + jobId);
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    job.li.className = "bulk-row running";
    job.status.textContent = "Đang tải lên…";
    xhr.upload.onprogress = e => { if (e.lengthComputable) job.bar.value = e.loaded / e.total * 100; };
    xhr.upload.onload = () => {
      job.bar.removeAttribute("value");
      const reading = () => {
        if (!zip) return poll(job, jobId, started);
        job.status.textContent = `Đang đọc các tệp trong zip… ${Math.round((Date.now() - started) / 1000)} giây`;
      };
      reading();
      timer = setInterval(reading, 1000);
    };
    const finish = () => { clearInterval(timer); current = null; next(); };
    xhr.onabort = () => { job.done("cancelled", "Đã hủy"); finish(); };
    xhr.onerror = () => { failed += 1; job.done("failed", `${job.name}: không kết nối được với máy chủ`); finish(); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* handled below */ }
      if (xhr.status === 409 && body && body.error && body.error.code === "cancelled") {
        job.done("cancelled", "Đã hủy");
      } else if ((xhr.status === 200 || xhr.status === 201) && body) {
        if (!zip) kept1(job, body);
        else {
          job.done("ok", `Zip: ${body.kept} / ${body.files} tệp đã lưu`);
          for (const r of body.results) {
            const sub = row(`${job.name} › ${r.filename}`);
            if (r.error) { failed += 1; sub.done("failed", `${r.filename}: ${r.error.message.split(" / ")[0]}`); }
            else kept1(sub, r);
          }
        }
      } else {
        failed += 1;
        const message = body && body.error ? body.error.message.split(" / ")[0] : `lỗi ${xhr.status}`;
        job.done("failed", `${job.name}: ${message}`);
      }
      finish();
    };
    xhr.send(form);
  }
})();
