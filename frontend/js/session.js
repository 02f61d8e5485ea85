// Who is signed in (GET /api/auth/me), what they may do, and the header's user box with its sign-out button.
// The server enforces every right; this only decides what the interface offers.
import { get, post } from "./api.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { errorMessage } from "./i18n-values.js";

let me = null;   // {username, role, groups, collections: {name: [rights]}}

export async function load() {
  me = await get("auth/me");
  return me;
}

export function user() { return me; }
export function isAdmin() { return Boolean(me && me.role === "admin"); }

// The rights of the signed-in user on a collection (admins hold them all, except over seals).
export function rights(collection) {
  if (isAdmin()) return ["read", "write", "manage"];
  const all = (me && me.collections) || {};
  return Array.isArray(all[collection]) ? all[collection] : [];
}

export function can(right, collection) {
  if (right !== "read" && me && me.role === "viewer") return false;
  return rights(collection).includes(right);
}

// Whether the user may load documents anywhere: write on some collection (viewers never write).
export function canWriteSomewhere() {
  if (isAdmin()) return true;
  if (!me || me.role === "viewer") return false;
  return Object.values(me.collections || {}).some((r) => Array.isArray(r) && r.includes("write"));
}

export function roleName(role) {
  const key = `role.${role}`;
  const name = t(key);
  return name === key ? role : name;
}

// The header: name and role, the links this user may follow, sign out.
export function renderHeader() {
  if (!me) return;
  $("#user-box").hidden = false;
  $("#user-name").textContent = me.username;
  $("#user-role").textContent = roleName(me.role);
  $("#nav-admin").hidden = !canWriteSomewhere();
  $("#nav-manage").hidden = !isAdmin();
}

export function init() {
  $("#sign-out").addEventListener("click", signOut);
}

async function signOut() {
  const button = $("#sign-out");
  button.disabled = true;
  try {
    await post("auth/logout", undefined, { signInOn401: false });
  } catch (err) {
    // Already signed out (401) or the server is away: the sign-in page is the right place either way.
    if (err.status !== 401 && err.status !== 0) {
      button.disabled = false;
      $("#sign-out-status").textContent = errorMessage(err);
      return;
    }
  }
  me = null;
  location.assign(new URL("login.html?out=1", document.baseURI).href);
}
