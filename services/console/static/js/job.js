// One job: its settings and status (live), the failure reason, and the transcript synced to audio.

import { call, get, jobPath } from "./api.js";
import { h, when, badge, errorBox, clock, announce } from "./util.js";

const ACTIVE = new Set(["QUEUED", "IN_PROGRESS"]);
const LIVE_MS = 2000;
/** Words below this confidence are marked (AWS reports 0..1 per word). */
export const LOW_CONFIDENCE = 0.5;

function describe(job) {
  const s = job.Settings || {};
  const parts = [];
  if (s.ShowSpeakerLabels) parts.push(`speakers (max ${s.MaxSpeakerLabels})`);
  if (s.ChannelIdentification) parts.push("channel identification");
  if (s.ShowAlternatives) parts.push(`alternatives (max ${s.MaxAlternatives})`);
  if (s.VocabularyName) parts.push(`vocabulary ${s.VocabularyName}`);
  if (s.VocabularyFilterName) parts.push(`filter ${s.VocabularyFilterName} (${s.VocabularyFilterMethod})`);
  if (job.ContentRedaction) parts.push(`PII redaction (${job.ContentRedaction.RedactionOutput})`);
  if (job.Subtitles) parts.push(`subtitles ${(job.Subtitles.Formats || []).join(", ")}`);
  if (job.IdentifyLanguage) parts.push("language identification");
  if (job.IdentifyMultipleLanguages) parts.push("multiple-language identification");
  return parts.join(" · ") || "defaults";
}

function facts(job) {
  const rows = [
    ["Status", badge(job.TranscriptionJobStatus)],
    ["Language", job.LanguageCode || (job.LanguageCodes || []).map((l) => l.LanguageCode).join(", ") || "—"],
    ["Media", job.Media && job.Media.MediaFileUri],
    ["Format", job.MediaFormat ? `${job.MediaFormat}, ${job.MediaSampleRateHertz || "?"} Hz` : "—"],
    ["Settings", describe(job)],
    ["Created", when(job.CreationTime)], ["Started", when(job.StartTime)], ["Completed", when(job.CompletionTime)],
  ];
  if (job.IdentifiedLanguageScore) rows.splice(2, 0, ["Language score", job.IdentifiedLanguageScore.toFixed(2)]);
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

export function jobView(main, name) {
  const factsBox = h("div", { "aria-live": "polite" });
  const failure = h("div");
  const transcriptBox = h("div");
  const actions = h("div", { class: "actions" });
  let timer = null;
  let lastStatus = null;
  let stop = null;
  main.replaceChildren(
    h("p", {}, h("a", { href: "#/jobs" }, "← All jobs")),
    h("h1", {}, `Job ${name}`), actions, factsBox, failure, transcriptBox);

  const del = h("button", { type: "button", class: "danger" }, "Delete job");
  del.addEventListener("click", async () => {
    if (!confirm(`Delete job ${name}?`)) return;
    try {
      await call("DeleteTranscriptionJob", { TranscriptionJobName: name });
      announce(`Job ${name} deleted`);
      location.hash = "#/jobs";
    } catch (err) { failure.replaceChildren(errorBox(err)); }
  });
  actions.append(del);

  async function load() {
    let job;
    try {
      job = (await call("GetTranscriptionJob", { TranscriptionJobName: name })).TranscriptionJob;
    } catch (err) {
      factsBox.replaceChildren(errorBox(err));
      return;
    }
    factsBox.replaceChildren(facts(job));
    del.disabled = job.TranscriptionJobStatus === "IN_PROGRESS";
    const status = job.TranscriptionJobStatus;
    if (lastStatus && lastStatus !== status) announce(`Job ${name} is now ${status}`);
    if (status === "FAILED") {
      failure.replaceChildren(h("div", { class: "failure-box", role: "alert" },
        h("h2", {}, "Why it failed"), h("p", {}, job.FailureReason || "No reason was recorded.")));
    }
    if (status === "COMPLETED" && lastStatus !== "COMPLETED") stop = transcriptView(transcriptBox, name);
    lastStatus = status;
    if (ACTIVE.has(status)) timer = setTimeout(load, LIVE_MS);
  }
  load();
  return () => { clearTimeout(timer); if (stop) stop(); };
}

function wordFlags(item) {
  const alt = (item.alternatives || [])[0] || {};
  const content = String(alt.content || "");
  const conf = Number(alt.confidence);
  return {
    content,
    redacted: content.includes("[PII]") || Boolean(alt.redactions && alt.redactions.length),
    filtered: item.vocabulary_filter_match === true || /^\*+$/.test(content),
    low: item.type === "pronunciation" && !Number.isNaN(conf) && conf < LOW_CONFIDENCE && !content.includes("[PII]"),
    confidence: conf,
  };
}

function turnLabel(turn) {
  if (turn.kind === "speaker") return `Speaker ${String(turn.label).replace(/^spk_/, "")}`;
  if (turn.kind === "channel") return `Channel ${String(turn.label).replace(/^ch_/, "")}`;
  return "";
}

function transcriptView(box, name) {
  const audio = h("audio", { controls: true, preload: "metadata", src: jobPath(name, "audio"), class: "player" });
  const versionSel = h("select", { id: "version" });
  const downloads = h("ul", { class: "downloads", "aria-label": "Downloads" });
  const body = h("div", { class: "transcript", role: "group", "aria-label": "Transcript words: press Enter on a word to play from it" });
  const alts = h("div");
  const legend = h("p", { class: "legend" }, "Click or press Enter on a word to play from there. ",
    h("span", { class: "w low" }, "dotted"), ` = confidence below ${LOW_CONFIDENCE}, `,
    h("span", { class: "w redacted" }, "[PII]"), " = redacted, ",
    h("span", { class: "w filtered" }, "filtered"), " = vocabulary filter.");
  box.replaceChildren(h("section", { "aria-labelledby": "tr-title" },
    h("h2", { id: "tr-title" }, "Transcript"),
    h("div", { class: "player-row" }, audio, downloads),
    h("div", { class: "version", hidden: true }, h("label", { for: "version" }, "Version "), versionSel),
    legend, body, alts));

  let words = [];   // [{el, start, end}] sorted by start
  let current = null;
  let raf = 0;

  function setDownloads(version) {
    const q = version ? `?version=${version}` : "";
    downloads.replaceChildren(...[["json", "JSON"], ["srt", "SRT"], ["vtt", "WebVTT"], ["txt", "Text"]].map(([fmt, label]) =>
      h("li", {}, h("a", { href: jobPath(name, `download/${fmt}`) + q, download: `${name}.${fmt}` }, label))));
  }

  function highlight() {
    const t = audio.currentTime;
    let lo = 0, hi = words.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (words[mid].start <= t + 0.001) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const w = found >= 0 && t <= words[found].end + 0.25 ? words[found] : null;
    if (w === current) return;
    if (current) { current.el.classList.remove("current"); current.el.removeAttribute("aria-current"); }
    current = w;
    if (w) {
      w.el.classList.add("current"); w.el.setAttribute("aria-current", "true");
      const r = w.el.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) w.el.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  }
  function frame() { highlight(); if (!audio.paused) raf = requestAnimationFrame(frame); }
  audio.addEventListener("play", () => { cancelAnimationFrame(raf); raf = requestAnimationFrame(frame); });
  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);

  function playFrom(seconds) {
    audio.currentTime = seconds;
    audio.play().catch(() => { /* the user can press play; the position is set */ });
  }

  function onKey(e) {
    const el = e.target.closest(".w[data-start]");
    if (!el) return;
    const i = words.findIndex((w) => w.el === el);
    let target = null;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); playFrom(Number(el.dataset.start)); return; }
    if (e.key === "ArrowRight") target = words[i + 1];
    if (e.key === "ArrowLeft") target = words[i - 1];
    if (e.key === "Home") target = words[0];
    if (e.key === "End") target = words[words.length - 1];
    if (target) { e.preventDefault(); el.tabIndex = -1; target.el.tabIndex = 0; target.el.focus(); }
  }
  body.addEventListener("keydown", onKey);
  body.addEventListener("click", (e) => {
    const el = e.target.closest(".w[data-start]");
    if (el) playFrom(Number(el.dataset.start));
  });

  function render(data) {
    const items = data.Transcript.results.items || [];
    words = [];
    const turns = data.Turns.map((turn) => {
      const label = turnLabel(turn);
      const p = h("p", { class: "words" });
      let glue = true;  // no space before the first word or after opening punctuation
      for (const idx of turn.items) {
        const item = items[idx];
        const f = wordFlags(item);
        if (item.type !== "pronunciation") {
          p.append(glue || !/^[¿¡(\[{"«]/.test(f.content) ? f.content : " " + f.content);
          glue = /^[¿¡(\[{"«]$/.test(f.content);
          continue;
        }
        if (!glue) p.append(" ");
        glue = false;
        // Plain DOM calls: a four-hour transcript is tens of thousands of these.
        const el = document.createElement("span");
        el.className = "w" + (f.low ? " low" : "") + (f.redacted ? " redacted" : "") + (f.filtered ? " filtered" : "");
        el.setAttribute("role", "button");
        el.tabIndex = -1;
        el.dataset.start = item.start_time;
        el.dataset.end = item.end_time;
        el.dataset.item = item.id;
        el.title = clock(Number(item.start_time)) + (Number.isNaN(f.confidence) ? "" : `, confidence ${f.confidence.toFixed(2)}`)
          + (f.redacted ? ", redacted" : "") + (f.filtered ? ", filtered word" : "");
        el.textContent = f.content;
        words.push({ el, start: Number(item.start_time), end: Number(item.end_time) });
        p.append(el);
      }
      const speakerClass = turn.label ? `who-${Number(String(turn.label).replace(/\D/g, "") || 0) % 6}` : "";
      return h("section", { class: `turn ${speakerClass}`, dataset: { kind: turn.kind, label: turn.label || "" } },
        h("header", {},
          label ? h("span", { class: "speaker" }, label) : null,
          h("button", { type: "button", class: "time link", onclick: () => playFrom(turn.start),
            "aria-label": `Play from ${clock(turn.start)}${label ? ", " + label : ""}` }, `${clock(turn.start)} – ${clock(turn.end)}`)),
        p);
    });
    words.sort((a, b) => a.start - b.start);
    if (words.length) words[0].el.tabIndex = 0;
    body.replaceChildren(...(turns.length ? turns : [h("p", { class: "empty" }, "No speech was found in this file.")]));
    renderAlternatives(data.Transcript.results.segments || []);
  }

  function renderAlternatives(segments) {
    const withAlts = segments.filter((s) => (s.alternatives || []).length > 1);
    if (!withAlts.length) { alts.replaceChildren(); return; }
    alts.replaceChildren(h("details", { class: "alternatives" },
      h("summary", {}, `Alternatives (${withAlts.length} segment${withAlts.length === 1 ? "" : "s"})`),
      h("ol", {}, withAlts.map((s) => h("li", {},
        h("button", { type: "button", class: "time link", onclick: () => playFrom(Number(s.start_time)) }, clock(Number(s.start_time))),
        h("ol", { class: "alt-list" }, s.alternatives.map((a) => h("li", {}, a.transcript))))))));
  }

  async function load(version) {
    body.replaceChildren(h("p", {}, "Loading the transcript…"));
    try {
      const data = await get(`jobs/${encodeURIComponent(name)}/transcript${version ? `?version=${version}` : ""}`);
      if (data.Versions && data.Versions.length && !versionSel.options.length) {
        versionSel.append(...data.Versions.map((v) => h("option", { value: v }, v === "redacted" ? "Redacted" : "Original (unredacted)")));
        versionSel.closest(".version").hidden = false;
      }
      setDownloads(version || (data.Versions && data.Versions.length ? "redacted" : ""));
      render(data);
    } catch (err) {
      body.replaceChildren(errorBox(err));
    }
  }
  versionSel.addEventListener("change", () => load(versionSel.value));
  load("");
  return () => { cancelAnimationFrame(raf); audio.pause(); };
}
