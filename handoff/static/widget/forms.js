// The two small forms of the widget: the after-hours ticket (e-mail + note) and the satisfaction rating.

import { TEXTS, format } from "./config.js";
import { h, uniqueId } from "./dom.js";

// Deliberately simple: the server validates for real; this only catches typos before the customer leaves.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MAX_NOTE_CHARS = 2000;
const RATINGS = [1, 2, 3, 4, 5];

export function isPlausibleEmail(value) {
  return EMAIL_PATTERN.test(value.trim());
}

function field(label, control, hint) {
  return h("div", { class: "nw-field" }, h("label", { for: control.id }, label), control, hint);
}

/** @param {function({email, note}): void} onSubmit */
export function ticketForm(onSubmit) {
  const emailId = uniqueId("nw-email");
  const errorId = uniqueId("nw-email-error");
  const email = h("input", { id: emailId, type: "email", class: "nw-text", required: true, autocomplete: "email", inputmode: "email", "aria-describedby": errorId });
  const note = h("textarea", { id: uniqueId("nw-note"), class: "nw-text", rows: "3", maxlength: String(MAX_NOTE_CHARS) });
  const error = h("p", { id: errorId, class: "nw-error", role: "alert" });
  const form = h("form", { class: "nw-card nw-ticket", novalidate: true, "aria-label": TEXTS.ticketTitle },
    h("h3", {}, TEXTS.ticketTitle),
    h("p", {}, TEXTS.ticketIntro),
    field(TEXTS.ticketEmail, email, error),
    field(TEXTS.ticketNote, note),
    h("button", { type: "submit", class: "nw-button" }, TEXTS.ticketSubmit));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!isPlausibleEmail(email.value)) {
      error.textContent = TEXTS.ticketInvalidEmail;
      email.setAttribute("aria-invalid", "true");
      email.focus();
      return;
    }
    email.removeAttribute("aria-invalid");
    error.textContent = "";
    onSubmit({ email: email.value.trim(), note: note.value.trim() });
  });
  return form;
}

export function ticketConfirmation(email) {
  return h("div", { class: "nw-card nw-done", role: "status" }, format(TEXTS.ticketThanks, { email }));
}

/** @param {function({rating, comment}): void} onSubmit */
export function csatForm(onSubmit) {
  let rating = 0;
  const error = h("p", { class: "nw-error", role: "alert" });
  const stars = RATINGS.map((value) => h("button", {
    type: "button", class: "nw-star", "aria-pressed": "false", "data-rating": String(value),
    "aria-label": format(TEXTS.csatStar, { n: value }),
    onClick: () => {
      rating = value;
      for (const star of stars) {
        const chosen = Number(star.dataset.rating) <= value;
        star.classList.toggle("nw-star--on", chosen);
        star.setAttribute("aria-pressed", String(Number(star.dataset.rating) === value));
      }
      error.textContent = "";
    },
  }, "★"));
  const questionId = uniqueId("nw-csat");
  const comment = h("textarea", { id: uniqueId("nw-comment"), class: "nw-text", rows: "2", maxlength: String(MAX_NOTE_CHARS) });
  const form = h("form", { class: "nw-card nw-csat", "aria-labelledby": questionId },
    h("h3", { id: questionId }, TEXTS.csatQuestion),
    h("div", { class: "nw-stars", role: "group", "aria-labelledby": questionId }, stars),
    error,
    field(TEXTS.csatComment, comment),
    h("button", { type: "submit", class: "nw-button" }, TEXTS.csatSubmit));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!rating) {
      error.textContent = TEXTS.csatChooseRating;
      stars[0].focus();
      return;
    }
    onSubmit({ rating, comment: comment.value.trim() });
  });
  return form;
}

export function csatConfirmation() {
  return h("div", { class: "nw-card nw-done", role: "status" }, TEXTS.csatThanks);
}
