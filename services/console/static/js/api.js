// The console's calls to the gateway. Everything but sign-in rides on the HttpOnly session cookie;
// API operations go through /console/api/call, which answers exactly as the JSON 1.1 API does.

import { sign } from "./sigv4.js";

/** The console's base path ("/console/"), derived from where this module was served. */
export const BASE = new URL("../../", import.meta.url).pathname;
const HEADERS = { "x-harken-console": "1" };

export class ApiError extends Error {
  constructor(type, message, status) {
    super(message || type || `HTTP ${status}`);
    this.type = type || "Error";
    this.status = status;
  }
}

async function parse(response) {
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text }; }
  if (!response.ok) {
    const err = new ApiError(data.__type, data.Message || data.message, response.status);
    if (err.type === "MissingAuthenticationTokenException") window.dispatchEvent(new CustomEvent("harken:signed-out"));
    throw err;
  }
  return data;
}

/** Call an Amazon Transcribe operation, e.g. call("ListTranscriptionJobs", {Status: "FAILED"}). */
export async function call(operation, params = {}) {
  const response = await fetch(`${BASE}api/call`, {
    method: "POST",
    credentials: "same-origin",
    headers: { ...HEADERS, "content-type": "application/x-amz-json-1.1", "x-amz-target": `Transcribe.${operation}` },
    body: JSON.stringify(params),
  });
  return parse(response);
}

export async function get(path) {
  return parse(await fetch(`${BASE}api/${path}`, { credentials: "same-origin", headers: HEADERS }));
}

export async function signIn(accessKeyId, secretAccessKey, region) {
  const url = `${BASE}api/session`;
  const body = "{}";
  const signed = await sign({ method: "POST", url, body, accessKeyId, secretAccessKey, region, service: "transcribe" });
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { ...signed, "content-type": "application/x-amz-json-1.1" }, body,
  });
  return parse(response);
}

export async function signOut() {
  await fetch(`${BASE}api/session`, { method: "DELETE", credentials: "same-origin", headers: HEADERS });
}

/** Upload a File to the account's upload area; resolves with {MediaFileUri}. Reports progress 0..1. */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `${BASE}api/uploads?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader("x-harken-console", "1");
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data = {};
      try { data = JSON.parse(xhr.responseText || "{}"); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(data.__type, data.Message || data.message, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError("NetworkError", "The upload failed: the gateway could not be reached.", 0));
    xhr.send(file);
  });
}

export const jobPath = (name, rest) => `${BASE}api/jobs/${encodeURIComponent(name)}/${rest}`;
