// dermatrend web app: small progressive enhancements. Every page works without this file.
"use strict";

// Forms that ask before they act (disable an account, revoke a key).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Drag and drop: a file dropped on an upload form goes into its file field, which then names it.
function enableDropzones(root) {
  root.querySelectorAll("form[data-dropzone]").forEach((form) => {
    if (form.dataset.dropzoneReady) {
      return;
    }
    form.dataset.dropzoneReady = "1";
    const input = form.querySelector('input[type="file"]');
    if (!input) {
      return;
    }
    const over = (on) => form.classList.toggle("dragover", on);
    form.addEventListener("dragover", (e) => {
      e.preventDefault();
      over(true);
    });
    form.addEventListener("dragleave", () => over(false));
    form.addEventListener("drop", (e) => {
      e.preventDefault();
      over(false);
      if (e.dataTransfer && e.dataTransfer.files.length > 0) {
        const files = new DataTransfer();
        files.items.add(e.dataTransfer.files[0]);
        input.files = files.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      }
    });
    // While a photo uploads, say so and keep the button from being pressed twice.
    form.addEventListener("submit", () => {
      const button = form.querySelector('button[type="submit"]');
      if (button) {
        button.disabled = true;
        button.textContent = "Uploading…";
      }
    });
  });
}

// A read-only field with a secret or link: selected on focus, for copying.
document.addEventListener("focusin", (event) => {
  if (event.target.classList && event.target.classList.contains("copy")) {
    event.target.select();
  }
});

document.addEventListener("DOMContentLoaded", () => enableDropzones(document));
document.addEventListener("htmx:afterSwap", (event) => enableDropzones(event.target));
