// The public HTTP API, and its one error shape: {"error": {"code", "message", ...}}.
import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, detail) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

async function errorFrom(resp) {
  let body = null;
  try { body = await resp.json(); } catch (_) { /* not JSON */ }
  const info = body && body.error;
  if (info && info.message) return new ApiError(resp.status, info.code || String(resp.status), info.message, info);
  if (resp.status === 404) return new ApiError(404, "not_found", t("error.notfound"));
  return new ApiError(resp.status, String(resp.status), `HTTP ${resp.status} ${resp.statusText}`.trim());
}

// Relative URLs: the page is always served at the API's root and routes live in the hash.
export async function get(path, params, { signal } = {}) {
  const query = params ? (typeof params === "string" ? params : new URLSearchParams(params).toString()) : "";
  return request(`api/${path}${query ? "?" + query : ""}`, { signal });
}

export async function post(path, body, { signal } = {}) {
  const init = { method: "POST", signal };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  return request(`api/${path}`, init);
}

async function request(url, init) {
  let resp;
  try {
    resp = await fetch(url, { headers: { accept: "application/json" }, ...init });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "network", t("error.network"));
  }
  if (!resp.ok) throw await errorFrom(resp);
  return resp.json();
}

// Upload with progress (fetch reports none): resolves with the JSON body, rejects with ApiError.
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `api/${path}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body);
      const info = body && body.error;
      reject(new ApiError(xhr.status, (info && info.code) || String(xhr.status),
        (info && info.message) || `HTTP ${xhr.status} ${xhr.statusText}`.trim(), info));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network", t("error.network"))));
    xhr.send(form);
  });
}
