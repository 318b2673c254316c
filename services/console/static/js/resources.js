// Vocabularies, vocabulary filters and custom language models: list, create, status, delete.
// Creation errors are the API's own validation messages, shown as they come back.

import { call } from "./api.js";
import { h, when, badge, errorBox, field, select, announce } from "./util.js";

const LANGS = ["en-US", "en-GB", "en-AU", "en-IN", "es-US", "es-ES", "fr-FR", "fr-CA", "de-DE", "it-IT", "pt-BR",
  "nl-NL", "ja-JP", "ko-KR", "zh-CN", "hi-IN"];
const LIVE_MS = 2000;
const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);

function resourcePage(main, cfg) {
  const statusSel = cfg.statusParam ? select([["", "any"], ...cfg.statuses], { name: "status" }) : null;
  const contains = h("input", { type: "search", name: "contains", maxlength: 200 });
  const body = h("tbody");
  const msg = h("div", { role: "status", class: "list-status" });
  const detail = h("div", { "aria-live": "polite" });
  const more = h("button", { type: "button", hidden: true }, "Load more");
  let timer = null;
  let token = null;

  const filters = h("form", { class: "filters", "aria-label": `Filter ${cfg.title.toLowerCase()}` },
    statusSel ? field("Status", statusSel) : null, field("Name contains", contains), h("button", { type: "submit" }, "Apply"));
  filters.addEventListener("submit", (e) => { e.preventDefault(); load(false); });
  more.addEventListener("click", () => load(true));

  const createStatus = h("div", { class: "form-status" });
  const createForm = h("form", { class: "card", "aria-labelledby": `${cfg.id}-create` },
    h("h2", { id: `${cfg.id}-create` }, `Create a ${cfg.singular}`), ...cfg.form.fields,
    h("button", { type: "submit", class: "primary" }, "Create"), createStatus);
  createForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    createStatus.replaceChildren();
    let req;
    try {
      req = cfg.form.request();
      await call(cfg.ops.create, req);
    } catch (err) {
      createStatus.replaceChildren(errorBox(err));
      return;
    }
    createStatus.replaceChildren(h("p", { class: "ok" }, `Created ${req[cfg.nameKey]}.`));
    announce(`${cfg.singular} ${req[cfg.nameKey]} created`);
    createForm.reset();
    load(false);
  });

  const table = h("table", {},
    h("caption", { class: "sr-only" }, cfg.title),
    h("thead", {}, h("tr", {}, [...cfg.columns.map((c) => c[0]), ""].map((c) => h("th", { scope: "col" }, c)))), body);
  main.replaceChildren(h("h1", {}, cfg.title), h("p", { class: "intro" }, cfg.intro), filters, msg,
    h("div", { class: "table-wrap" }, table), more, detail, createForm);

  async function show(name) {
    try {
      const data = await call(cfg.ops.get, { [cfg.nameKey]: name });
      detail.replaceChildren(h("section", { class: "card", "aria-label": `${cfg.singular} ${name}` },
        h("h2", {}, name), cfg.detail(data)));
    } catch (err) { detail.replaceChildren(errorBox(err)); }
  }

  function row(item) {
    const name = item[cfg.nameKey];
    const del = h("button", { type: "button", class: "danger small", "aria-label": `Delete ${cfg.singular} ${name}` }, "Delete");
    del.addEventListener("click", async () => {
      if (!confirm(`Delete ${cfg.singular} ${name}?`)) return;
      try {
        await call(cfg.ops.delete, { [cfg.nameKey]: name });
        announce(`${cfg.singular} ${name} deleted`);
        detail.replaceChildren();
        load(false);
      } catch (err) { msg.replaceChildren(errorBox(err)); }
    });
    const open = h("button", { type: "button", class: "link" }, name);
    open.addEventListener("click", () => show(name));
    return h("tr", { dataset: { name } }, h("th", { scope: "row" }, open),
      cfg.columns.slice(1).map(([, render]) => h("td", {}, render(item))), h("td", {}, del));
  }

  async function load(append) {
    clearTimeout(timer);
    const params = { MaxResults: 20 };
    if (statusSel && statusSel.value) params[cfg.statusParam] = statusSel.value;
    if (contains.value.trim()) params.NameContains = contains.value.trim();
    if (append && token) params.NextToken = token;
    let data;
    try { data = await call(cfg.ops.list, params); } catch (err) { msg.replaceChildren(errorBox(err)); return; }
    const items = data[cfg.listKey] || [];
    if (!append) body.replaceChildren();
    body.append(...items.map(row));
    if (!body.children.length) body.append(h("tr", {}, h("td", { colspan: cfg.columns.length + 1, class: "empty" }, `No ${cfg.title.toLowerCase()}.`)));
    msg.textContent = `${body.querySelectorAll("tr[data-name]").length} shown`;
    token = data.NextToken || null;
    more.hidden = !token;
    if (cfg.statusKey && items.some((i) => cfg.moving.includes(i[cfg.statusKey]))) timer = setTimeout(() => load(false), LIVE_MS);
  }
  load(false);
  return () => clearTimeout(timer);
}

function sourceFields(kindLabel) {
  const text = h("textarea", { rows: 5, name: "entries" });
  const uri = h("input", { name: "file-uri", placeholder: "s3://bucket/list.txt", spellcheck: "false" });
  return { text, uri, fields: [field(`${kindLabel} (one per line)`, text, "Or give a file in S3 below; not both."), field("File URI", uri)] };
}

function downloadLink(uri) {
  return uri ? h("a", { href: uri, rel: "noreferrer" }, "Download the stored list") : "—";
}

export function vocabulariesView(main) {
  const name = h("input", { name: "name", required: true, spellcheck: "false" });
  const lang = select(LANGS, { name: "language" });
  const src = sourceFields("Phrases");
  return resourcePage(main, {
    id: "voc", title: "Custom vocabularies", singular: "vocabulary", nameKey: "VocabularyName",
    intro: "Words and phrases the recognizer should favour. A vocabulary is PENDING until it is processed, then READY or FAILED.",
    ops: { list: "ListVocabularies", create: "CreateVocabulary", get: "GetVocabulary", delete: "DeleteVocabulary" },
    listKey: "Vocabularies", statusKey: "VocabularyState", statusParam: "StateEquals",
    statuses: ["PENDING", "READY", "FAILED"], moving: ["PENDING"],
    columns: [["Name"], ["Language", (i) => i.LanguageCode], ["State", (i) => badge(i.VocabularyState)],
      ["Modified", (i) => when(i.LastModifiedTime)]],
    detail: (d) => h("dl", { class: "facts" }, h("dt", {}, "State"), h("dd", {}, badge(d.VocabularyState)),
      h("dt", {}, "Language"), h("dd", {}, d.LanguageCode), h("dt", {}, "Failure reason"), h("dd", {}, d.FailureReason || "—"),
      h("dt", {}, "Contents"), h("dd", {}, downloadLink(d.DownloadUri))),
    form: {
      fields: [field("Name", name), field("Language", lang), ...src.fields],
      request: () => {
        const req = { VocabularyName: name.value.trim(), LanguageCode: lang.value };
        if (src.text.value.trim()) req.Phrases = lines(src.text.value);
        if (src.uri.value.trim()) req.VocabularyFileUri = src.uri.value.trim();
        return req;
      },
    },
  });
}

export function filtersView(main) {
  const name = h("input", { name: "name", required: true, spellcheck: "false" });
  const lang = select(LANGS, { name: "language" });
  const src = sourceFields("Words");
  return resourcePage(main, {
    id: "flt", title: "Vocabulary filters", singular: "vocabulary filter", nameKey: "VocabularyFilterName",
    intro: "Words a job masks (***), removes or tags in its transcript.",
    ops: { list: "ListVocabularyFilters", create: "CreateVocabularyFilter", get: "GetVocabularyFilter", delete: "DeleteVocabularyFilter" },
    listKey: "VocabularyFilters",
    columns: [["Name"], ["Language", (i) => i.LanguageCode], ["Modified", (i) => when(i.LastModifiedTime)]],
    detail: (d) => h("dl", { class: "facts" }, h("dt", {}, "Language"), h("dd", {}, d.LanguageCode),
      h("dt", {}, "Modified"), h("dd", {}, when(d.LastModifiedTime)), h("dt", {}, "Contents"), h("dd", {}, downloadLink(d.DownloadUri))),
    form: {
      fields: [field("Name", name), field("Language", lang), ...src.fields],
      request: () => {
        const req = { VocabularyFilterName: name.value.trim(), LanguageCode: lang.value };
        if (src.text.value.trim()) req.Words = lines(src.text.value);
        if (src.uri.value.trim()) req.VocabularyFilterFileUri = src.uri.value.trim();
        return req;
      },
    },
  });
}

export function modelsView(main) {
  const name = h("input", { name: "name", required: true, spellcheck: "false" });
  const base = select([["WideBand", "WideBand (16 kHz and up)"], ["NarrowBand", "NarrowBand (telephone, 8 kHz)"]], { name: "base-model" });
  const lang = select(["en-US", "en-GB", "en-AU", "es-US", "de-DE", "hi-IN", "ja-JP"], { name: "language" });
  const train = h("input", { name: "training-uri", required: true, placeholder: "s3://bucket/training/", spellcheck: "false" });
  const tune = h("input", { name: "tuning-uri", placeholder: "s3://bucket/tuning/ (optional)", spellcheck: "false" });
  const role = h("input", { name: "role-arn", required: true, placeholder: "arn:aws:iam::111122223333:role/Access", spellcheck: "false" });
  return resourcePage(main, {
    id: "clm", title: "Custom language models", singular: "language model", nameKey: "ModelName",
    intro: "Models adapted to your domain's text. Training is IN_PROGRESS, then COMPLETED or FAILED.",
    ops: { list: "ListLanguageModels", create: "CreateLanguageModel", get: "DescribeLanguageModel", delete: "DeleteLanguageModel" },
    listKey: "Models", statusKey: "ModelStatus", statusParam: "StatusEquals",
    statuses: ["IN_PROGRESS", "FAILED", "COMPLETED"], moving: ["IN_PROGRESS"],
    columns: [["Name"], ["Language", (i) => i.LanguageCode], ["Base model", (i) => i.BaseModelName],
      ["Status", (i) => badge(i.ModelStatus)], ["Failure reason", (i) => i.FailureReason || "—"], ["Created", (i) => when(i.CreateTime)]],
    detail: (d) => {
      const m = d.LanguageModel || {};
      return h("dl", { class: "facts" }, h("dt", {}, "Status"), h("dd", {}, badge(m.ModelStatus)),
        h("dt", {}, "Base model"), h("dd", {}, m.BaseModelName), h("dt", {}, "Training data"),
        h("dd", {}, (m.InputDataConfig || {}).S3Uri || "—"), h("dt", {}, "Failure reason"), h("dd", {}, m.FailureReason || "—"));
    },
    form: {
      fields: [field("Name", name), field("Base model", base), field("Language", lang), field("Training data (S3 prefix)", train),
        field("Tuning data (S3 prefix)", tune), field("Data access role ARN", role, "Required by the API; Harken reads S3 with its own key.")],
      request: () => {
        const cfg = { S3Uri: train.value.trim(), DataAccessRoleArn: role.value.trim() };
        if (tune.value.trim()) cfg.TuningDataS3Uri = tune.value.trim();
        return { ModelName: name.value.trim(), BaseModelName: base.value, LanguageCode: lang.value, InputDataConfig: cfg };
      },
    },
  });
}
