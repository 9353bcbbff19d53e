// The workbench page: case browser, runs with live progress (server-sent events), the verdict by
// evidence class, the 3-D risk view and the telemetry upload with a zoomable plot.
import { showScene } from "./view3d.js";

const $ = (id) => document.getElementById(id);
let currentCase = null, currentRun = null, events = null;

async function api(path, options) {
  const res = await fetch(path, options);
  const body = res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new Error(body && body.error ? body.error : `HTTP ${res.status}`);
  return body;
}

function fmt(p) { return p === null || p === undefined ? "—" : Number(p).toPrecision(3); }

function button(label, onClick, current) {
  const li = document.createElement("li"), b = document.createElement("button");
  b.type = "button"; b.textContent = label; b.onclick = onClick;
  if (current) b.setAttribute("aria-current", "true");
  li.appendChild(b); return li;
}

async function loadCases() {
  const cases = await api("/api/cases");
  const ul = $("cases"); ul.innerHTML = "";
  for (const c of cases) ul.appendChild(button(`${c.name}${c.vehicle ? " — " + c.vehicle : ""}`, () => selectCase(c), currentCase && currentCase.id === c.id));
}

async function loadRuns() {
  const runs = await api("/api/runs");
  const ul = $("runs"); ul.innerHTML = "";
  for (const r of runs) {
    const label = `${r.case_id.split("/").pop()} · ${r.status}${r.verdict ? " · " + r.verdict : ""}`;
    ul.appendChild(button(label, () => openRun(r), currentRun && currentRun.run_id === r.run_id));
  }
}

function selectCase(c) {
  currentCase = c;
  $("case-panel").hidden = false;
  $("case-title").textContent = c.name;
  $("case-desc").textContent = `${c.vehicle} ${c.time_utc} ${c.description}`.trim();
  $("case-sections").textContent = c.sections && c.sections.length ? `sections: ${c.sections.join(", ")}` : "";
  $("progress").textContent = ""; $("upload-msg").textContent = "";
  loadCases();
}

function showProgress(run) {
  const parts = run.stages.map((s) => `<span class="stage-${s.status}">${s.title}: ${s.status}</span>`);
  $("progress").innerHTML = `<strong>${run.status}</strong> ${parts.join(" · ")} ${run.message ? "— " + run.message : ""}`;
  $("cancel-btn").hidden = !(run.status === "running" || run.status === "queued");
}

function follow(run) {
  if (events) events.close();
  currentRun = run; showProgress(run);
  events = new EventSource(`/api/runs/${run.run_id}/events`);
  events.onmessage = (ev) => {
    const r = JSON.parse(ev.data); currentRun = r; showProgress(r);
    if (["done", "failed", "cancelled"].includes(r.status)) {
      events.close(); events = null; loadRuns();
      if (r.status === "done") openRun(r);
    }
  };
}

function verdictHtml(results) {
  const byClass = results.verdict_by_class;
  let rows = "";
  if (byClass) {
    for (const k of ["computed", "cited", "judgement"]) {
      const c = byClass[k]; if (!c) continue;
      const label = k === "computed" ? "computed evidence" : k === "cited" ? "+ cited" : "+ judgement";
      rows += `<tr><th scope="row">${label}</th><td>${fmt(c.posterior_impact)}</td><td>${c.verdict}</td></tr>`;
    }
  }
  const warnings = (results.warnings || []).map((w) => `<li class="warn">${w.text || w}</li>`).join("");
  return `<p><strong>${results.verdict}</strong>: P(impact) = ${fmt(results.posterior_impact)}</p>` +
    (rows ? `<table><thead><tr><th scope="col">evidence used</th><th scope="col">P(impact)</th><th scope="col">verdict</th></tr></thead><tbody>${rows}</tbody></table>` : "") +
    (warnings ? `<ul>${warnings}</ul>` : "");
}

async function openRun(run) {
  currentRun = run; loadRuns();
  $("result-panel").hidden = false;
  if (run.status !== "done") { $("verdict").textContent = `run ${run.status} ${run.message || ""}`; return; }
  const results = await api(`/api/runs/${run.run_id}/results`);
  $("verdict").innerHTML = verdictHtml(results);
  $("report-link").href = `/api/runs/${run.run_id}/report`;
  try {
    const scene = await api(`/api/runs/${run.run_id}/scene`);
    const { range } = showScene($("view3d"), scene, (h) => {
      $("hover").textContent = h ? `${h.region} · shield ${h.shield} · N ${fmt(h.n)} · ${fmt(h.perM2)} m⁻² · share ${h.share === null ? "—" : (100 * h.share).toFixed(2) + " %"}` : "";
    });
    $("view3d-caption").textContent = `Expected failures per m² over "${scene.window}", log10 colour scale ${range[0].toFixed(1)} … ${range[1].toFixed(1)} (computed by the risk engine; grey faces only cast shadows). White arrow: ram; orange: shower radiant above the limb.`;
  } catch (e) {
    $("view3d").textContent = "No 3-D view: this case has no risk section.";
  }
}

function drawTelemetry(plot, view) {
  const cv = $("tele-canvas"), g = cv.getContext("2d");
  const W = cv.width, H = cv.height, m = { l: 70, r: 10, t: 10, b: 36 };
  g.clearRect(0, 0, W, H);
  const t = plot.t_h; if (!t.length) { g.fillText("no samples to plot", 20, 20); return; }
  const [x0, x1] = view || [t[0], t[t.length - 1]];
  const idx = t.map((_, i) => i).filter((i) => t[i] >= x0 && t[i] <= x1);
  const ys = idx.map((i) => plot.data[i]).concat(idx.map((i) => plot.fit[i]).filter((v) => v !== undefined));
  const y0 = Math.min(...ys), y1 = Math.max(...ys) || y0 + 1;
  const X = (x) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const Y = (y) => H - m.b - ((y - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  if (plot.onset_interval_h && plot.onset_interval_h[0] !== null) {
    g.fillStyle = "rgba(11,92,173,0.15)";
    const a = X(plot.onset_interval_h[0]), b = X(plot.onset_interval_h[1]);
    g.fillRect(a, m.t, Math.max(b - a, 1), H - m.t - m.b);
  }
  g.fillStyle = "#1b1f24";
  for (const i of idx) g.fillRect(X(t[i]) - 1, Y(plot.data[i]) - 1, 2, 2);
  if (plot.fit.length) {
    g.strokeStyle = "#d1495b"; g.lineWidth = 1.5; g.beginPath();
    idx.forEach((i, k) => (k ? g.lineTo(X(t[i]), Y(plot.fit[i])) : g.moveTo(X(t[i]), Y(plot.fit[i]))));
    g.stroke();
  }
  if (plot.onset_h !== undefined) { g.strokeStyle = "#0b5cad"; g.beginPath(); g.moveTo(X(plot.onset_h), m.t); g.lineTo(X(plot.onset_h), H - m.b); g.stroke(); }
  g.fillStyle = "#1b1f24"; g.font = "12px system-ui";
  g.fillText(`${x0.toFixed(2)} h`, m.l, H - 12); g.fillText(`${x1.toFixed(2)} h`, W - m.r - 60, H - 12);
  g.fillText(y1.toPrecision(4), 4, m.t + 10); g.fillText(y0.toPrecision(4), 4, H - m.b);
  g.fillText("dots: data (bin means) · red: fit · blue: onset and its interval", m.l + 80, H - 12);
}

function telemetryView(plot) {
  const cv = $("tele-canvas"); let view = null, drag = null;
  const full = () => [plot.t_h[0], plot.t_h[plot.t_h.length - 1]];
  cv.onwheel = (ev) => { ev.preventDefault(); const [a, b] = view || full(); const c = (a + b) / 2, h = ((b - a) / 2) * (ev.deltaY > 0 ? 1.25 : 0.8); view = [c - h, c + h]; drawTelemetry(plot, view); };
  cv.onmousedown = (ev) => { drag = { x: ev.clientX, view: view || full() }; };
  cv.onmousemove = (ev) => { if (!drag) return; const [a, b] = drag.view; const dx = ((ev.clientX - drag.x) / cv.clientWidth) * (b - a); view = [a - dx, b - dx]; drawTelemetry(plot, view); };
  window.onmouseup = () => { drag = null; };
  cv.ondblclick = () => { view = null; drawTelemetry(plot, view); };
  drawTelemetry(plot, null);
}

$("run-btn").onclick = async () => {
  if (!currentCase) return;
  try { follow(await api("/api/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ case: currentCase.id }) })); loadRuns(); }
  catch (e) { $("progress").textContent = e.message; }
};
$("cancel-btn").onclick = async () => { if (currentRun) { await api(`/api/runs/${currentRun.run_id}/cancel`, { method: "POST" }); loadRuns(); } };
$("upload-form").onsubmit = async (ev) => {
  ev.preventDefault();
  const file = $("upload-file").files[0];
  if (!file || !currentCase) { $("upload-msg").textContent = "choose a file first"; return; }
  const fd = new FormData(); fd.append("file", file);
  if ($("upload-channel").value) fd.append("channel", $("upload-channel").value);
  $("upload-msg").textContent = "analysing…";
  try {
    const out = await api(`/api/cases/${currentCase.id}/telemetry`, { method: "POST", body: fd });
    const s = out.summary;
    $("upload-msg").textContent = "";
    $("telemetry-panel").hidden = false;
    $("tele-summary").textContent = `channel ${out.channel}: leak ${s.leak ? "found" : "not found"}, signature ${s.signature}, onset ${s.onset_utc || "—"}, hole ${s.hole_diameter_m ? (1000 * s.hole_diameter_m).toPrecision(3) + " mm" : "—"} (computed by breachkit.telemetry from the uploaded record)`;
    telemetryView(out.plot);
  } catch (e) { $("upload-msg").textContent = e.message; }
};

loadCases(); loadRuns();
