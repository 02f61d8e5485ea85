// The sign-in page (login.html): username and password, errors in words (wrong credentials; locked, with
// the minutes left), then back to the page the user came from (?next=, a path of this site only).
import { post, safeReturn } from "./api.js";
import { $ } from "./dom.js";
import { lang, setLang, t, translateStatic } from "./i18n.js";
import { errorMessage } from "./i18n-values.js";

const params = new URLSearchParams(location.search);
const next = safeReturn(params.get("next") || "") || "./";
let lastError = null;   // {key, args} of the error shown, to translate it again on a language switch

function showError(key, ...args) {
  lastError = key ? { key, args } : null;
  const box = $("#sign-in-error");
  box.hidden = !key;
  box.textContent = key ? t(key, ...args) : "";
}

function fieldError(input, key) {
  const out = $(`#${input.id}-error`);
  out.hidden = !key;
  out.textContent = key ? t(key) : "";
  out.dataset.key = key || "";
  if (key) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
}

async function submit(ev) {
  ev.preventDefault();
  const username = $("#username");
  const password = $("#password");
  showError(null);
  fieldError(username, username.value.trim() ? null : "signin.missing.username");
  fieldError(password, password.value ? null : "signin.missing.password");
  const invalid = [username, password].find((input) => input.getAttribute("aria-invalid") === "true");
  if (invalid) { invalid.focus(); return; }

  const button = $("#sign-in-submit");
  button.disabled = true;
  $("#sign-in-form").setAttribute("aria-busy", "true");
  try {
    await post("auth/login", { username: username.value.trim(), password: password.value }, { signInOn401: false });
  } catch (err) {
    button.disabled = false;
    $("#sign-in-form").removeAttribute("aria-busy");
    if (err.status === 401 || err.code === "invalid_credentials") {
      showError("signin.invalid");
      password.value = "";
      password.setAttribute("aria-invalid", "true");
      password.focus();
    } else if (err.status === 429 || err.code === "locked") {
      const detail = err.detail && err.detail.detail;
      const seconds = err.retryAfter ?? (detail && Number.isFinite(detail.retry_after) ? detail.retry_after : null);
      const minutes = seconds == null ? null : Math.max(1, Math.ceil(seconds / 60));
      showError(minutes == null ? "signin.locked.later" : "signin.locked", minutes);
      password.value = "";
      $("#sign-in-error").focus();
    } else {
      showError("signin.error", errorMessage(err));
      $("#sign-in-error").focus();
    }
    return;
  }
  location.replace(next);
}

function retranslate() {
  translateStatic();
  document.title = `${t("signin.heading")} — docsearch`;
  $("#lang-switch").setAttribute("lang", lang() === "es" ? "en" : "es");
  if (lastError) showError(lastError.key, ...lastError.args);
  for (const input of [$("#username"), $("#password")]) {
    const key = $(`#${input.id}-error`).dataset.key;
    if (key) $(`#${input.id}-error`).textContent = t(key);
  }
  note();
}

function note() {
  const out = $("#sign-in-note");
  if (params.get("out")) out.textContent = t("signin.signedout");
  else if (params.get("next")) out.textContent = t("signin.needed");
  else out.textContent = "";
}

function start() {
  retranslate();
  $("#lang-switch").addEventListener("click", () => {
    setLang(lang() === "es" ? "en" : "es");
    retranslate();
    $("#lang-switch").focus();
  });
  $("#sign-in-form").addEventListener("submit", submit);
  for (const input of [$("#username"), $("#password")]) {
    input.addEventListener("input", () => { if (input.value) fieldError(input, null); });
  }
  $("#username").focus();
}

start();
