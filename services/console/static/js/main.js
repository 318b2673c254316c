// Shell: session check, navigation and a hash router (#/jobs, #/jobs/<name>, #/new, ...).

import { signIn, signOut, get } from "./api.js";
import { h, errorBox, field, announce } from "./util.js";
import { jobsView, newJobView } from "./jobs.js";
import { jobView } from "./job.js";
import { vocabulariesView, filtersView, modelsView } from "./resources.js";
import { opsView } from "./ops.js";

const main = document.getElementById("main");
let session = null;
let cleanup = null;
let firstRoute = true;  // on page load focus stays at the top (skip link first); later views focus their heading

function signInView() {
  const akid = h("input", { name: "access-key-id", autocomplete: "username", required: true, spellcheck: "false" });
  const secret = h("input", { name: "secret-access-key", type: "password", autocomplete: "current-password", required: true });
  const region = h("input", { name: "region", value: localStorage.getItem("harken.region") || "us-east-1", required: true });
  const status = h("div", { class: "form-status" });
  const form = h("form", { class: "card narrow", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in"),
    h("p", {}, "Use an access key pair the operator issued for Harken (the same one boto3 and the AWS CLI use). ",
      "Your secret signs the sign-in request in this browser and is never sent or kept."),
    field("Access key ID", akid), field("Secret access key", secret), field("Region", region),
    h("button", { type: "submit", class: "primary" }, "Sign in"), status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.replaceChildren(h("p", {}, "Signing in…"));
    try {
      session = await signIn(akid.value.trim(), secret.value, region.value.trim());
      secret.value = "";
      localStorage.setItem("harken.region", region.value.trim());
      await refreshSession();
      announce(`Signed in to account ${session.AccountId}`);
      if (location.hash === "#/jobs") route(); else location.hash = "#/jobs";
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  });
  main.replaceChildren(form);
  akid.focus();
}

async function refreshSession() {
  try {
    session = await get("session");
  } catch {
    session = null;
  }
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.hidden = !session;
  document.getElementById("nav-ops").hidden = !(session && session.Ops);
  who.replaceChildren();
  if (session) {
    who.append(h("span", { class: "account" }, `Account ${session.AccountId} · ${session.Region}`),
      h("button", { type: "button", class: "link", onclick: async () => {
        await signOut(); session = null; await refreshSession(); route(); } }, "Sign out"));
  }
}

const routes = [
  [/^#\/jobs\/(.+)$/, (m) => jobView(main, decodeURIComponent(m[1]))],
  [/^#\/jobs$/, () => jobsView(main)],
  [/^#\/new$/, () => newJobView(main)],
  [/^#\/vocabularies$/, () => vocabulariesView(main)],
  [/^#\/filters$/, () => filtersView(main)],
  [/^#\/models$/, () => modelsView(main)],
  [/^#\/ops$/, () => opsView(main)],
];

function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  if (!session) { signInView(); return; }
  const hash = location.hash || "#/jobs";
  for (const a of document.querySelectorAll("#nav a")) {
    if (hash === a.getAttribute("href") || hash.startsWith(a.getAttribute("href") + "/")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  for (const [pattern, view] of routes) {
    const m = hash.match(pattern);
    if (m) {
      try {
        cleanup = view(m) || null;
      } catch (err) {
        main.replaceChildren(errorBox(err));
      }
      const title = main.querySelector("h1");
      if (title) {
        title.tabIndex = -1;
        if (!firstRoute) title.focus({ preventScroll: true });
        document.title = `${title.textContent} · Harken console`;
      }
      firstRoute = false;
      return;
    }
  }
  location.hash = "#/jobs";
}

document.getElementById("skip").addEventListener("click", (e) => { e.preventDefault(); main.focus(); });
window.addEventListener("hashchange", route);
window.addEventListener("harken:signed-out", async () => { if (session) { session = null; await refreshSession(); route(); } });

refreshSession().then(route);
