// The public HTTP API, and its one error shape: {"error": {"code", "message", ...}}.
// Every call of the front end goes through request() (or upload() for files with progress): same-origin
// cookies, the CSRF header on unsafe methods, and a 401 sends the user to the sign-in page.
import { t } from "./i18n.js";

export const CSRF_COOKIE = "ds_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const SIGN_IN_PAGE = "login.html";

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
  return errorOf(resp.status, resp.statusText, body);
}

function errorOf(status, statusText, body) {
  const info = body && body.error;
  if (info && info.message) return new ApiError(status, info.code || String(status), info.message, info);
  if (status === 404) return new ApiError(404, "not_found", t("error.notfound"));
  return new ApiError(status, String(status), `HTTP ${status} ${statusText || ""}`.trim());
}

export function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

// The headers every unsafe request carries: the session's CSRF token (double-submit cookie).
function csrfHeaders(method) {
  const token = UNSAFE.has(method) ? cookie(CSRF_COOKIE) : "";
  return token ? { [CSRF_HEADER]: token } : {};
}

// Where the user is now (path, query and hash), for the sign-in page to come back to.
export function here() {
  return location.pathname + location.search + location.hash;
}

// A return URL is only ever a path of this site: never another origin ("//x", "https:", "/\x").
export function safeReturn(value) {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) && !/[\u0000-\u001f]/.test(value) ? value : "";
}

export function signInUrl(next = here()) {
  const url = new URL(SIGN_IN_PAGE, document.baseURI);
  const back = safeReturn(next);
  if (back && !back.endsWith(SIGN_IN_PAGE)) url.searchParams.set("next", back);
  return url.pathname + url.search;
}

let leaving = false;
// Signed out or the session expired: to the sign-in page, back here afterwards. The promise never settles,
// so that no view renders an error meanwhile.
export function toSignIn() {
  if (!leaving) {
    leaving = true;
    location.assign(signInUrl());
  }
  return new Promise(() => {});
}

// Relative URLs: the page is always served at the API's root and routes live in the hash.
export async function get(path, params, { signal, signInOn401 = true } = {}) {
  const query = params ? (typeof params === "string" ? params : new URLSearchParams(params).toString()) : "";
  return request(`api/${path}${query ? "?" + query : ""}`, { signal }, signInOn401);
}

export function post(path, body, options) { return send("POST", path, body, options); }
export function put(path, body, options) { return send("PUT", path, body, options); }
export function patch(path, body, options) { return send("PATCH", path, body, options); }
export function del(path, options) { return send("DELETE", path, undefined, options); }

function send(method, path, body, { signal, signInOn401 = true } = {}) {
  const init = { method, signal };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  return request(`api/${path}`, init, signInOn401);
}

// The response of a request that went through: its JSON body, or null when it has none (204).
// `signInOn401` false: the caller handles a 401 itself (the sign-in form: wrong password).
export async function request(url, init = {}, signInOn401 = true) {
  const method = (init.method || "GET").toUpperCase();
  const headers = { accept: "application/json", ...csrfHeaders(method), ...(init.headers || {}) };
  let resp;
  try {
    resp = await fetch(url, { ...init, method, headers, credentials: "same-origin" });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "network", t("error.network"));
  }
  if (resp.status === 401 && signInOn401) return toSignIn();
  if (!resp.ok) {
    const error = await errorFrom(resp);
    error.retryAfter = retryAfter(resp.headers.get("retry-after"));
    throw error;
  }
  if (resp.status === 204) return null;
  const text = await resp.text();
  return text ? JSON.parse(text) : null;
}

// Retry-After in seconds (a number of seconds or an HTTP date), or null.
export function retryAfter(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return parseInt(value, 10);
  const when = Date.parse(value);
  return isNaN(when) ? null : Math.max(0, Math.round((when - Date.now()) / 1000));
}

// Upload with progress (fetch reports none): resolves with the JSON body, rejects with ApiError.
// Same rules as request(): cookies, the CSRF header, a 401 to the sign-in page.
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `api/${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    for (const [name, value] of Object.entries(csrfHeaders("POST"))) xhr.setRequestHeader(name, value);
    xhr.responseType = "text";
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 401) { toSignIn(); return; }
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body);
      reject(errorOf(xhr.status, xhr.statusText, body));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network", t("error.network"))));
    xhr.send(form);
  });
}

// A POST whose answer is a file (a spreadsheet): its bytes as a Blob, or an ApiError.
export async function postForFile(path, body) {
  const headers = { "content-type": "application/json", ...csrfHeaders("POST") };
  let resp;
  try {
    resp = await fetch(`api/${path}`, { method: "POST", headers, body: JSON.stringify(body), credentials: "same-origin" });
  } catch (_) {
    throw new ApiError(0, "network", t("error.network"));
  }
  if (resp.status === 401) return toSignIn();
  if (!resp.ok) throw await errorFrom(resp);
  return resp.blob();
}
