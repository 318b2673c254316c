// Jobs: the list (ListTranscriptionJobs filters and paging, live status) and the start-a-job form.

import { call, upload } from "./api.js";
import { h, when, duration, badge, errorBox, field, checkbox, select, announce } from "./util.js";

const STATUSES = ["", "QUEUED", "IN_PROGRESS", "FAILED", "COMPLETED"];
const ACTIVE = new Set(["QUEUED", "IN_PROGRESS"]);
const LIVE_MS = 2000;

// Filters survive navigating to a job and back.
const state = { status: "", contains: "", pageSize: "20", tokens: [undefined] };

export function jobsView(main) {
  const statusSel = select(STATUSES.map((s) => [s, s ? s.replace("_", " ").toLowerCase() : "any status"]), { name: "status" });
  statusSel.value = state.status;
  const contains = h("input", { name: "contains", type: "search", value: state.contains, maxlength: 200 });
  const pageSize = select(["5", "10", "20", "50", "100"], { name: "page-size" });
  pageSize.value = state.pageSize;
  const body = h("tbody");
  const result = h("div", { class: "list-status", role: "status" });
  const prev = h("button", { type: "button" }, "← Previous page");
  const next = h("button", { type: "button" }, "Next page →");
  const pageLabel = h("span", { class: "page-label" });
  let timer = null;
  let known = new Map();

  const filters = h("form", { class: "filters", "aria-label": "Filter jobs" },
    field("Status", statusSel), field("Name contains", contains), field("Per page", pageSize),
    h("button", { type: "submit" }, "Apply"));
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    Object.assign(state, { status: statusSel.value, contains: contains.value.trim(), pageSize: pageSize.value, tokens: [undefined] });
    known = new Map();
    load();
  });
  prev.addEventListener("click", () => { state.tokens.pop(); load(); });
  next.addEventListener("click", () => { state.tokens.push(next.dataset.token); load(); });

  const table = h("table", { class: "jobs" },
    h("caption", { class: "sr-only" }, "Transcription jobs, newest first"),
    h("thead", {}, h("tr", {}, ["Name", "Status", "Language", "Created", "Completed", "Took", "Details", ""].map(
      (c) => h("th", { scope: "col" }, c)))),
    body);

  main.replaceChildren(
    h("div", { class: "title-row" }, h("h1", {}, "Transcription jobs"), h("a", { class: "button primary", href: "#/new" }, "New job")),
    filters, result, h("div", { class: "table-wrap" }, table),
    h("nav", { class: "pager", "aria-label": "Pages" }, prev, pageLabel, next));

  function row(job) {
    const name = job.TranscriptionJobName;
    const took = job.CompletionTime && job.StartTime ? job.CompletionTime - job.StartTime : null;
    const detail = job.TranscriptionJobStatus === "FAILED"
      ? h("span", { class: "failure" }, job.FailureReason || "Failed")
      : [job.IdentifyLanguage ? "language identified" : null, job.ContentRedaction ? "PII redacted" : null,
         job.OutputLocationType === "CUSTOMER_BUCKET" ? "your bucket" : null].filter(Boolean).join(" · ");
    const del = h("button", { type: "button", class: "danger small", "aria-label": `Delete job ${name}`,
      disabled: job.TranscriptionJobStatus === "IN_PROGRESS" }, "Delete");
    del.addEventListener("click", async () => {
      if (!confirm(`Delete job ${name}? Its transcript in the service bucket is deleted too.`)) return;
      try {
        await call("DeleteTranscriptionJob", { TranscriptionJobName: name });
        announce(`Job ${name} deleted`);
        load();
      } catch (err) { result.replaceChildren(errorBox(err)); }
    });
    return h("tr", { dataset: { job: name, status: job.TranscriptionJobStatus } },
      h("th", { scope: "row" }, h("a", { href: `#/jobs/${encodeURIComponent(name)}` }, name)),
      h("td", {}, badge(job.TranscriptionJobStatus)),
      h("td", {}, job.LanguageCode || (job.LanguageCodes || []).map((l) => l.LanguageCode).join(", ") || "—"),
      h("td", {}, when(job.CreationTime)), h("td", {}, when(job.CompletionTime)),
      h("td", {}, duration(took)), h("td", {}, detail), h("td", {}, del));
  }

  async function load() {
    clearTimeout(timer);
    const params = { MaxResults: Number(state.pageSize) };
    if (state.status) params.Status = state.status;
    if (state.contains) params.JobNameContains = state.contains;
    const token = state.tokens[state.tokens.length - 1];
    if (token) params.NextToken = token;
    let data;
    try {
      data = await call("ListTranscriptionJobs", params);
    } catch (err) {
      result.replaceChildren(errorBox(err));
      return;
    }
    const jobs = data.TranscriptionJobSummaries || [];
    for (const job of jobs) {
      const before = known.get(job.TranscriptionJobName);
      if (before && before !== job.TranscriptionJobStatus) announce(`Job ${job.TranscriptionJobName} is now ${job.TranscriptionJobStatus}`);
      known.set(job.TranscriptionJobName, job.TranscriptionJobStatus);
    }
    body.replaceChildren(...jobs.map(row));
    if (!jobs.length) body.append(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No jobs match.")));
    result.textContent = `${jobs.length} job${jobs.length === 1 ? "" : "s"} on this page`;
    prev.disabled = state.tokens.length <= 1;
    next.disabled = !data.NextToken;
    next.dataset.token = data.NextToken || "";
    pageLabel.textContent = `Page ${state.tokens.length}`;
    // Live updates: poll while anything on the page is still moving (and the tab is visible).
    if (jobs.some((j) => ACTIVE.has(j.TranscriptionJobStatus))) timer = setTimeout(tick, LIVE_MS);
  }
  function tick() { if (document.hidden) timer = setTimeout(tick, LIVE_MS); else load(); }

  load();
  return () => clearTimeout(timer);
}

const LANGUAGES = ["en-US", "en-GB", "en-AU", "en-IN", "es-US", "es-ES", "fr-FR", "fr-CA", "de-DE", "it-IT",
  "pt-BR", "pt-PT", "nl-NL", "ja-JP", "ko-KR", "zh-CN", "hi-IN", "ar-SA", "ru-RU", "sv-SE", "pl-PL", "tr-TR"];

function fieldset(legend, ...children) {
  return h("fieldset", {}, h("legend", {}, legend), ...children);
}

export function newJobView(main) {
  const source = h("div", { class: "radios", role: "radiogroup", "aria-label": "Media source" },
    h("label", {}, h("input", { type: "radio", name: "source", value: "upload", checked: true }), " Upload a file"),
    h("label", {}, h("input", { type: "radio", name: "source", value: "s3" }), " An S3 object"));
  const file = h("input", { type: "file", name: "file", accept: "audio/*,video/*,.amr,.flac,.m4a,.mp3,.mp4,.ogg,.wav,.webm" });
  const uri = h("input", { name: "media-uri", placeholder: "s3://bucket/key.wav", spellcheck: "false" });
  const uriField = field("Media file URI", uri, "s3://bucket/key or an S3 https URL.");
  const fileField = field("Audio or video file", file);
  uriField.hidden = true;
  const name = h("input", { name: "job-name", required: true, maxlength: 200, spellcheck: "false" });
  const langMode = select([["code", "A language I choose"], ["identify", "Identify the language"],
    ["multiple", "Identify multiple languages"]], { name: "language-mode" });
  const lang = select(LANGUAGES, { name: "language-code" });
  const options = h("input", { name: "language-options", placeholder: "en-US, es-US (optional)" });
  const optionsField = field("Language options", options, "Comma-separated language codes to choose from.");
  optionsField.hidden = true;
  const speakers = checkbox("Identify speakers (ShowSpeakerLabels)", { name: "speakers" });
  const maxSpeakers = h("input", { type: "number", name: "max-speakers", min: 2, max: 30, value: 2 });
  const channels = checkbox("Identify channels (ChannelIdentification)", { name: "channels" });
  const alternatives = checkbox("Show alternatives", { name: "alternatives" });
  const maxAlternatives = h("input", { type: "number", name: "max-alternatives", min: 2, max: 10, value: 2 });
  const vocabulary = select([["", "none"]], { name: "vocabulary" });
  const vocabFilter = select([["", "none"]], { name: "vocabulary-filter" });
  const filterMethod = select(["mask", "remove", "tag"], { name: "filter-method" });
  const pii = checkbox("Redact personal information (PII)", { name: "pii" });
  const piiOutput = select([["redacted", "redacted transcript only"], ["redacted_and_unredacted", "redacted and unredacted"]], { name: "pii-output" });
  const srt = checkbox("SRT", { name: "srt" });
  const vtt = checkbox("WebVTT", { name: "vtt" });
  const progress = h("progress", { max: 1, value: 0, hidden: true, "aria-label": "Upload progress" });
  const status = h("div", { class: "form-status" });
  const submit = h("button", { type: "submit", class: "primary" }, "Start job");

  source.addEventListener("change", () => {
    const s3 = source.querySelector("input:checked").value === "s3";
    uriField.hidden = !s3; fileField.hidden = s3;
  });
  file.addEventListener("change", () => {
    if (file.files[0] && !name.value) {
      const stem = file.files[0].name.replace(/\.[^.]+$/, "").replace(/[^0-9a-zA-Z._-]+/g, "-").slice(0, 150);
      name.value = `${stem}-${Date.now().toString(36)}`;
    }
  });
  langMode.addEventListener("change", () => {
    lang.closest(".field").hidden = langMode.value !== "code";
    optionsField.hidden = langMode.value === "code";
  });

  const form = h("form", { class: "card", "aria-labelledby": "new-title" },
    h("h1", { id: "new-title" }, "Start a transcription job"),
    fieldset("Media", source, fileField, uriField),
    field("Job name", name, "Letters, digits, '.', '_' and '-'; unique in this account."),
    h("div", { class: "grid2" },
      fieldset("Language", field("Language", langMode), field("Language code", lang), optionsField),
      fieldset("Speakers and channels", speakers, field("Maximum speakers", maxSpeakers), channels),
      fieldset("Custom vocabulary and filter", field("Vocabulary", vocabulary), field("Vocabulary filter", vocabFilter),
        field("Filter method", filterMethod)),
      fieldset("Alternatives", alternatives, field("Maximum alternatives", maxAlternatives)),
      fieldset("Redaction", pii, field("Redaction output", piiOutput)),
      fieldset("Subtitles", srt, vtt)),
    submit, progress, status);
  main.replaceChildren(form);

  // Fill the vocabulary and filter choices from the account's resources.
  call("ListVocabularies", { StateEquals: "READY", MaxResults: 100 }).then((d) => {
    for (const v of d.Vocabularies || []) vocabulary.append(h("option", { value: v.VocabularyName }, `${v.VocabularyName} (${v.LanguageCode})`));
  }).catch(() => {});
  call("ListVocabularyFilters", { MaxResults: 100 }).then((d) => {
    for (const f of d.VocabularyFilters || []) vocabFilter.append(h("option", { value: f.VocabularyFilterName }, `${f.VocabularyFilterName} (${f.LanguageCode})`));
  }).catch(() => {});

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    status.replaceChildren();
    try {
      let mediaUri = uri.value.trim();
      if (source.querySelector("input:checked").value === "upload") {
        if (!file.files[0]) throw { type: "BadRequestException", message: "Choose a file to upload." };
        progress.hidden = false;
        status.replaceChildren(h("p", {}, `Uploading ${file.files[0].name}…`));
        const up = await upload(file.files[0], (p) => { progress.value = p; });
        mediaUri = up.MediaFileUri;
      }
      const req = { TranscriptionJobName: name.value.trim(), Media: { MediaFileUri: mediaUri } };
      if (langMode.value === "code") req.LanguageCode = lang.value;
      else {
        req[langMode.value === "identify" ? "IdentifyLanguage" : "IdentifyMultipleLanguages"] = true;
        const opts = options.value.split(",").map((s) => s.trim()).filter(Boolean);
        if (opts.length) req.LanguageOptions = opts;
      }
      const settings = {};
      if (speakers.querySelector("input").checked) { settings.ShowSpeakerLabels = true; settings.MaxSpeakerLabels = Number(maxSpeakers.value); }
      if (channels.querySelector("input").checked) settings.ChannelIdentification = true;
      if (alternatives.querySelector("input").checked) { settings.ShowAlternatives = true; settings.MaxAlternatives = Number(maxAlternatives.value); }
      if (vocabulary.value) settings.VocabularyName = vocabulary.value;
      if (vocabFilter.value) { settings.VocabularyFilterName = vocabFilter.value; settings.VocabularyFilterMethod = filterMethod.value; }
      if (Object.keys(settings).length) req.Settings = settings;
      if (pii.querySelector("input").checked) req.ContentRedaction = { RedactionType: "PII", RedactionOutput: piiOutput.value };
      const formats = [srt, vtt].filter((c) => c.querySelector("input").checked).map((c) => c.querySelector("input").name);
      if (formats.length) req.Subtitles = { Formats: formats };
      status.replaceChildren(h("p", {}, "Starting the job…"));
      await call("StartTranscriptionJob", req);
      announce(`Job ${req.TranscriptionJobName} started`);
      location.hash = `#/jobs/${encodeURIComponent(req.TranscriptionJobName)}`;
    } catch (err) {
      status.replaceChildren(errorBox(err));
      status.querySelector("[role=alert]")?.focus?.();
    } finally {
      submit.disabled = false;
      progress.hidden = true;
    }
  });
}
