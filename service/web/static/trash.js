"use strict";
// The trash page: an editor brings a document back.

document.querySelectorAll("button.restore").forEach(button => {
  button.addEventListener("click", async () => {
    button.disabled = true;
    const id = button.dataset.id;
    const response = await fetch(`/api/v1/documents/${id}/restore`, { method: "POST", headers: csrfHeaders() });
    if (!response.ok) {
      button.disabled = false;
      return showMessage(await errorText(response));
    }
    button.replaceWith(el("a", { href: `/documents/${id}`, class: "restored", text: "Đã khôi phục: mở" }));
  });
});
