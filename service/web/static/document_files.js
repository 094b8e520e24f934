"use strict";
// The document page's files: show another file's values for the document, or split a file off (editors).

(() => {
  const list = document.getElementById("files");
  if (!list) return;
  list.addEventListener("click", async e => {
    const button = e.target.closest("button.choose, button.split");
    if (!button) return;
    const row = button.closest(".file-row");
    const name = row.querySelector(".file-name").textContent;
    const action = button.classList.contains("choose") ? "choose" : "split";
    button.disabled = true;
    const response = await fetch(`/api/v1/documents/${button.dataset.id}/${action}`,
                                 { method: "POST", headers: csrfHeaders() });
    if (!response.ok) {
      button.disabled = false;
      return showMessage(`${name}: ${await errorText(response)}`);
    }
    const body = await response.json();
    window.location.href = body.url;
  });
})();
