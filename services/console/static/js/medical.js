// Medical jobs: a list of their own (ListMedicalTranscriptionJobs), as AWS's console keeps them apart
// from transcription jobs. Read-only apart from delete: medical transcripts are written to the
// customer's OutputBucketName, so the console shows where, not the transcript itself.

import { call } from "./api.js";
import { h, when, duration, badge, errorBox, field, select, announce } from "./util.js";

const STATUSES = ["", "QUEUED", "IN_PROGRESS", "FAILED", "COMPLETED"];
const ACTIVE = new Set(["QUEUED", "IN_PROGRESS"]);
const LIVE_MS = 2000;
const state = { status: "", contains: "", tokens: [undefined] };

export function medicalJobsView(main) {
  const statusSel = select(STATUSES.map((s) => [s, s ? s.replace("_", " ").toLowerCase() : "any status"]), { name: "status" });
  statusSel.value = state.status;
  const contains = h("input", { name: "contains", type: "search", value: state.contains, maxlength: 200 });
  const body = h("tbody");
  const result = h("div", { class: "list-status", role: "status" });
  const prev = h("button", { type: "button" }, "← Previous page");
  const next = h("button", { type: "button" }, "Next page →");
  let timer = null;

  const filters = h("form", { class: "filters", "aria-label": "Filter medical jobs" },
    field("Status", statusSel), field("Name contains", contains), h("button", { type: "submit" }, "Apply"));
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    Object.assign(state, { status: statusSel.value, contains: contains.value.trim(), tokens: [undefined] });
    load();
  });
  prev.addEventListener("click", () => { state.tokens.pop(); load(); });
  next.addEventListener("click", () => { state.tokens.push(next.dataset.token); load(); });

  const table = h("table", { class: "jobs" },
    h("caption", { class: "sr-only" }, "Medical transcription jobs, newest first"),
    h("thead", {}, h("tr", {}, ["Name", "Status", "Language", "Specialty", "Type", "Created", "Took", "Details", ""].map(
      (c) => h("th", { scope: "col" }, c)))),
    body);
  main.replaceChildren(
    h("div", { class: "title-row" }, h("h1", {}, "Medical transcription jobs")),
    h("p", { class: "hint" }, "Started with StartMedicalTranscriptionJob (boto3, the AWS CLI). Their transcripts are in ",
      "the output bucket each job names; open them from there."),
    filters, result, h("div", { class: "table-wrap" }, table),
    h("nav", { class: "pager", "aria-label": "Pages" }, prev, next));

  function row(job) {
    const name = job.MedicalTranscriptionJobName;
    const took = job.CompletionTime && job.StartTime ? job.CompletionTime - job.StartTime : null;
    const detail = job.TranscriptionJobStatus === "FAILED"
      ? h("span", { class: "failure" }, job.FailureReason || "Failed")
      : [job.ContentIdentificationType === "PHI" ? "PHI identified" : null,
         job.OutputLocationType === "CUSTOMER_BUCKET" ? "transcript in your bucket" : null].filter(Boolean).join(" · ");
    const del = h("button", { type: "button", class: "danger small", "aria-label": `Delete medical job ${name}`,
      disabled: job.TranscriptionJobStatus === "IN_PROGRESS" }, "Delete");
    del.addEventListener("click", async () => {
      if (!confirm(`Delete medical job ${name}? Its transcript in your bucket stays.`)) return;
      try {
        await call("DeleteMedicalTranscriptionJob", { MedicalTranscriptionJobName: name });
        announce(`Medical job ${name} deleted`);
        load();
      } catch (err) { result.replaceChildren(errorBox(err)); }
    });
    return h("tr", { dataset: { job: name, status: job.TranscriptionJobStatus } },
      h("th", { scope: "row" }, name), h("td", {}, badge(job.TranscriptionJobStatus)),
      h("td", {}, job.LanguageCode || "—"), h("td", {}, job.Specialty || "—"), h("td", {}, job.Type || "—"),
      h("td", {}, when(job.CreationTime)), h("td", {}, duration(took)), h("td", {}, detail), h("td", {}, del));
  }

  async function load() {
    clearTimeout(timer);
    const params = { MaxResults: 20 };
    if (state.status) params.Status = state.status;
    if (state.contains) params.JobNameContains = state.contains;
    const token = state.tokens[state.tokens.length - 1];
    if (token) params.NextToken = token;
    let data;
    try {
      data = await call("ListMedicalTranscriptionJobs", params);
    } catch (err) {
      result.replaceChildren(errorBox(err));
      return;
    }
    const jobs = data.MedicalTranscriptionJobSummaries || [];
    body.replaceChildren(...jobs.map(row));
    if (!jobs.length) body.append(h("tr", {}, h("td", { colspan: 9, class: "empty" }, "No medical jobs match.")));
    result.textContent = `${jobs.length} medical job${jobs.length === 1 ? "" : "s"} on this page`;
    prev.disabled = state.tokens.length <= 1;
    next.disabled = !data.NextToken;
    next.dataset.token = data.NextToken || "";
    if (jobs.some((j) => ACTIVE.has(j.TranscriptionJobStatus))) timer = setTimeout(tick, LIVE_MS);
  }
  function tick() { if (document.hidden) timer = setTimeout(tick, LIVE_MS); else load(); }

  load();
  return () => clearTimeout(timer);
}
