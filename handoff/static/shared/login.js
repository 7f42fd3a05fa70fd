// The sign-in of the staff pages (reports, trainer): one form, the console's session (cookie + CSRF token,
// /console/api.js); the page says what happens once someone is signed in.
import { api, csrf } from "/console/api.js";
import { $, element } from "/shared/dom.js";

function field(id, label, type, autocomplete) {
  const caption = element("label", label);
  caption.htmlFor = id;
  const input = element("input");
  Object.assign(input, { id, type, autocomplete, required: true });
  return [caption, input];
}

/**
 * Puts the sign-in card (#login-view, hidden) before the page's #app-view; returns { show(message), hide() }.
 * `signedIn()` runs after a login; `refused(error)` says a failure in the page's words (default: the
 * server's).
 */
export function loginView(title, signedIn, refused = (error) => error.message) {
  const view = element("div", null, "card narrow");
  view.id = "login-view";
  view.hidden = true;
  document.body.prepend(view);
  const form = element("form");
  form.id = "login-form";
  form.noValidate = true;
  const problem = element("p", null, "error");
  problem.id = "login-error";
  problem.setAttribute("role", "alert");
  const submit = element("button", "Anmelden", "primary");
  submit.type = "submit";
  form.append(...field("login-email", "E-Mail", "email", "username"),
    ...field("login-password", "Passwort", "password", "current-password"), problem, submit);
  view.replaceChildren(element("h1", title), form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = $("#login-password");
    try {
      const result = await api("POST", "/api/agent/login", {
        email: $("#login-email").value.trim(), password: password.value,
      });
      csrf.set(result.csrf_token);
      password.value = "";
      await signedIn();
    } catch (error) {
      problem.textContent = refused(error);
    }
  });
  return {
    show(message) {
      $("#app-view").hidden = true;
      view.hidden = false;
      problem.textContent = message || "";
    },
    hide() {
      view.hidden = true;
      $("#app-view").hidden = false;
    },
  };
}
