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

// Marking on a photo: a box (the grey card) or a line (a ruler's length), drawn in an SVG over the picture whose
// coordinates are the photo's own pixels. The number fields beside it are the truth the form sends; the drawing
// follows them and writes them, so the fields alone (keyboard, screen reader, no script) do the same.
const SVG = "http://www.w3.org/2000/svg";

function svgElement(name, attributes) {
  const el = document.createElementNS(SVG, name);
  Object.entries(attributes).forEach(([k, v]) => el.setAttribute(k, v));
  return el;
}

function enableMarkers(root) {
  root.querySelectorAll("[data-marker]").forEach((box) => {
    if (box.dataset.markerReady) {
      return;
    }
    box.dataset.markerReady = "1";
    const width = Number(box.dataset.width);
    const height = Number(box.dataset.height);
    const form = box.closest("form");
    const field = (name) => form.querySelector(`[name="${name}"]`);
    const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", class: "overlay" });
    box.appendChild(svg);
    const toPhoto = (event) => {
      const p = svg.createSVGPoint();
      p.x = event.clientX;
      p.y = event.clientY;
      const q = p.matrixTransform(svg.getScreenCTM().inverse());
      return { x: Math.max(0, Math.min(width, Math.round(q.x))), y: Math.max(0, Math.min(height, Math.round(q.y))) };
    };
    const num = (name) => Number(field(name).value) || 0;
    const set = (name, v) => {
      field(name).value = String(Math.round(v));
    };
    const handleSize = Math.max(width, height) / 40;

    if (box.dataset.marker === "rect") {
      const mark = svgElement("rect", { class: "mark", tabindex: "0", role: "img",
        "aria-label": "The grey card's box: arrow keys move it, Shift and arrow keys resize it" });
      const grip = svgElement("rect", { class: "grip", width: handleSize, height: handleSize });
      svg.append(mark, grip);
      const draw = () => {
        const x = num("x"), y = num("y"), w = Math.max(8, num("w")), h = Math.max(8, num("h"));
        mark.setAttribute("x", x); mark.setAttribute("y", y); mark.setAttribute("width", w); mark.setAttribute("height", h);
        grip.setAttribute("x", x + w - handleSize / 2); grip.setAttribute("y", y + h - handleSize / 2);
      };
      const clamp = () => {
        set("w", Math.max(8, Math.min(num("w"), width))); set("h", Math.max(8, Math.min(num("h"), height)));
        set("x", Math.max(0, Math.min(num("x"), width - num("w")))); set("y", Math.max(0, Math.min(num("y"), height - num("h"))));
        draw();
      };
      let drag = null;
      svg.addEventListener("pointerdown", (e) => {
        const p = toPhoto(e);
        if (e.target === grip) {
          drag = { mode: "resize" };
        } else if (e.target === mark) {
          drag = { mode: "move", dx: p.x - num("x"), dy: p.y - num("y") };
        } else {
          drag = { mode: "new", x0: p.x, y0: p.y };
          set("x", p.x); set("y", p.y); set("w", 8); set("h", 8);
        }
        svg.setPointerCapture(e.pointerId);
        e.preventDefault();
      });
      svg.addEventListener("pointermove", (e) => {
        if (!drag) {
          return;
        }
        const p = toPhoto(e);
        if (drag.mode === "move") {
          set("x", p.x - drag.dx); set("y", p.y - drag.dy);
        } else if (drag.mode === "resize") {
          set("w", p.x - num("x")); set("h", p.y - num("y"));
        } else {
          set("x", Math.min(p.x, drag.x0)); set("y", Math.min(p.y, drag.y0));
          set("w", Math.abs(p.x - drag.x0)); set("h", Math.abs(p.y - drag.y0));
        }
        clamp();
      });
      svg.addEventListener("pointerup", () => { drag = null; });
      mark.addEventListener("keydown", (e) => {
        const step = Math.max(1, Math.round(Math.max(width, height) / 100));
        const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
        if (!moves[e.key]) {
          return;
        }
        const [dx, dy] = moves[e.key];
        if (e.shiftKey) {
          set("w", num("w") + dx); set("h", num("h") + dy);
        } else {
          set("x", num("x") + dx); set("y", num("y") + dy);
        }
        clamp();
        e.preventDefault();
      });
      ["x", "y", "w", "h"].forEach((n) => field(n).addEventListener("input", draw));
      clamp();
    } else {
      const line = svgElement("line", { class: "ruler" });
      const ends = [svgElement("circle", { class: "end", r: handleSize / 2 }), svgElement("circle", { class: "end", r: handleSize / 2 })];
      svg.append(line, ...ends);
      const readout = form.querySelector("[data-scale-readout]");
      const draw = () => {
        const x1 = num("x1"), y1 = num("y1"), x2 = num("x2"), y2 = num("y2");
        line.setAttribute("x1", x1); line.setAttribute("y1", y1); line.setAttribute("x2", x2); line.setAttribute("y2", y2);
        ends[0].setAttribute("cx", x1); ends[0].setAttribute("cy", y1); ends[1].setAttribute("cx", x2); ends[1].setAttribute("cy", y2);
        const px = Math.hypot(x2 - x1, y2 - y1);
        const mm = Number(String(field("lengthMm").value).replace(",", "."));
        readout.textContent = px >= 10 && mm > 0 ? `${Math.round(px)} pixels for ${mm} mm: ${(mm / px).toFixed(4)} mm per pixel` : "";
      };
      let dragging = null;
      svg.addEventListener("pointerdown", (e) => {
        const p = toPhoto(e);
        const near = (i) => Math.hypot(p.x - num(`x${i}`), p.y - num(`y${i}`)) < handleSize;
        dragging = near(1) ? 1 : near(2) ? 2 : 0;
        if (dragging === 0) {
          set("x1", p.x); set("y1", p.y); set("x2", p.x); set("y2", p.y);
          dragging = 2;
        }
        svg.setPointerCapture(e.pointerId);
        e.preventDefault();
        draw();
      });
      svg.addEventListener("pointermove", (e) => {
        if (!dragging) {
          return;
        }
        const p = toPhoto(e);
        set(`x${dragging}`, p.x); set(`y${dragging}`, p.y);
        draw();
      });
      svg.addEventListener("pointerup", () => { dragging = null; });
      ["x1", "y1", "x2", "y2", "lengthMm"].forEach((n) => field(n).addEventListener("input", draw));
      draw();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => enableMarkers(document));

// Guided capture: the camera with the baseline as a ghost; every half second a small copy of the frame is checked
// against the baseline and the hints are shown; "Take the photo" uploads the frame at the camera's full resolution
// as a new session. Round-trip times are kept in window.dermatrendGuideTimes (the browser test reads them).
function enableCapture(root) {
  const box = root.querySelector("[data-capture]");
  if (!box || box.dataset.captureReady) {
    return;
  }
  box.dataset.captureReady = "1";
  const video = box.querySelector("video");
  const ghost = box.querySelector(".ghost");
  const status = box.querySelector("[data-guidance]");
  const take = box.querySelector("[data-take]");
  const form = box.querySelector("[data-capture-form]");
  const opacity = box.querySelector("[data-ghost-opacity]");
  const times = [];
  window.dermatrendGuideTimes = times;
  // The viewfinder has the baseline's shape before the camera starts (and if it never does).
  box.querySelector(".viewfinder").style.aspectRatio = box.dataset.aspect;
  window.setTimeout(() => {
    if (video.videoWidth === 0 && !take.disabled) {
      status.textContent = "Waiting for the camera: allow it in the browser's prompt, or upload a photo file from the timeline.";
    }
  }, 8000);
  const showOpacity = () => { ghost.style.opacity = String(Number(opacity.value) / 100); };
  opacity.addEventListener("input", showOpacity);
  showOpacity();

  // The frame cut to the baseline's shape (its centre), as the viewfinder shows it: a 16:9 camera and a 4:3 baseline
  // would otherwise never line up. longSide 0: the camera's full resolution.
  const [aw, ah] = box.dataset.aspect.split("/").map(Number);
  const frameBlob = (longSide, quality) => new Promise((resolve) => {
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    let w = vw;
    let h = Math.round(vw * ah / aw);
    if (h > vh) {
      h = vh;
      w = Math.round(vh * aw / ah);
    }
    const f = longSide > 0 ? Math.min(1, longSide / Math.max(w, h)) : 1;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(w * f);
    canvas.height = Math.round(h * f);
    canvas.getContext("2d").drawImage(video, (vw - w) / 2, (vh - h) / 2, w, h, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(resolve, "image/jpeg", quality);
  });

  const show = (g) => {
    box.dataset.state = g.state;
    status.textContent = g.state === "ok" ? "Lined up: take the photo now." : g.hints.join(". ") + ".";
    take.classList.toggle("ready", g.state === "ok");
  };

  let busy = false;
  const check = async () => {
    if (busy || video.videoWidth === 0 || take.disabled) {
      return;
    }
    busy = true;
    const t0 = performance.now();
    try {
      const body = await frameBlob(640, 0.8);
      const r = await fetch(box.dataset.check, { method: "POST", body, credentials: "same-origin",
        headers: { "Content-Type": "image/jpeg", "X-CSRF-Token": box.dataset.csrf } });
      if (r.ok) {
        show(await r.json());
        times.push(performance.now() - t0);
      } else if (r.status === 401) {
        status.textContent = "Your sign-in has ended: sign in again in another tab, then come back here.";
      } else if (r.status !== 503) {
        status.textContent = "The pose cannot be checked now (" + r.status + "); you can still take the photo.";
      }
    } catch (e) {
      status.textContent = "The pose cannot be checked now (no connection); you can still take the photo.";
    } finally {
      busy = false;
    }
  };

  take.addEventListener("click", async () => {
    if (video.videoWidth === 0) {
      return;
    }
    take.disabled = true;
    take.textContent = "Uploading…";
    try {
      const photo = await frameBlob(0, 0.95);
      if (!photo) {
        throw new Error("the camera frame could not be encoded");
      }
      const data = new FormData(form);
      data.append("photo", photo, "capture.jpg");
      const r = await fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
      if (r.status === 401) {
        status.textContent = "Your sign-in has ended, so the photo was not kept: sign in again in another tab, then take it again.";
      } else if (r.redirected && r.ok && new URL(r.url).pathname.startsWith("/photos/")) {
        window.location.assign(r.url);
        return;
      } else {
        const page = new DOMParser().parseFromString(await r.text(), "text/html");
        const error = page.querySelector(".error, [role=alert]");
        status.textContent = error ? error.textContent : "The photo was not accepted (" + r.status + ").";
      }
    } catch (e) {
      status.textContent = "The photo could not be sent (" + e.message + "); try again.";
    } finally {
      take.disabled = false;
      take.textContent = "Take the photo";
    }
  });

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = "This browser cannot open the camera here (it needs https). Upload a photo file from the timeline instead.";
    take.disabled = true;
    return;
  }
  navigator.mediaDevices.getUserMedia({ audio: false,
    video: { facingMode: { ideal: "environment" }, width: { ideal: 4032 }, height: { ideal: 3024 } } })
    .then((stream) => {
      video.srcObject = stream;
      return video.play();
    })
    .then(() => {
      status.textContent = "Line the skin up with the ghost…";
      window.setInterval(check, 500);
    })
    .catch((e) => {
      status.textContent = "The camera could not be opened (" + e.name + "). Allow the camera for this site, or upload a photo "
        + "file from the timeline instead.";
      take.disabled = true;
    });
}

document.addEventListener("DOMContentLoaded", () => enableCapture(document));

// The timeline's poll does not replace a section the person is working in (a chosen file, a focused field).
document.addEventListener("htmx:beforeRequest", (event) => {
  const section = event.detail.elt;
  if (!section || section.id !== "timeline") {
    return;
  }
  const chosen = Array.from(section.querySelectorAll('input[type="file"]')).some((i) => i.files && i.files.length > 0);
  const focused = section.contains(document.activeElement) && document.activeElement !== section;
  if (chosen || focused) {
    event.preventDefault();
  }
});
