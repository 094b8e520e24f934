"use strict";
// The document page: draw the kept document; an editor corrects a value in place or moves it to the trash.

(function () {
  const root = document.getElementById("document");
  if (!root) return;
  const docId = root.dataset.id;
  const pageUrl = n => root.dataset.pages + n + ".png";
  let doc = JSON.parse(document.getElementById("document-data").textContent);

  async function save(edit, value) {
    const response = await fetch(`/api/v1/documents/${docId}`, {
      method: "PATCH", headers: csrfHeaders({ "Content-Type": "application/json" }),
      body: JSON.stringify(correctionBody(doc, edit, value)),
    });
    if (!response.ok) {
      showMessage(await errorText(response));
      return false;
    }
    const body = await response.json();
    doc = body.document;
    draw();
    showMessage(body.changed ? `Đã lưu (lần sửa ${body.revision})` : "Không có gì thay đổi", "notice");
    return true;
  }

  function draw() {
    renderDocument(doc, root, pageUrl, root.dataset.canEdit === "yes" ? { onSave: save } : {});
  }

  const remove = document.getElementById("delete");
  if (remove) {
    remove.addEventListener("click", async () => {
      remove.disabled = true;
      const response = await fetch(`/api/v1/documents/${docId}`, { method: "DELETE", headers: csrfHeaders() });
      if (!response.ok) {
        remove.disabled = false;
        return showMessage(await errorText(response));
      }
      showMessage("Đã chuyển vào thùng rác (khôi phục được trong 30 ngày)", "notice");
      remove.replaceWith(el("a", { href: "/trash", id: "to-trash", text: "Mở thùng rác" }));
    });
  }
  draw();
})();
