// The after-hours ticket form (e-mail + note) and the satisfaction rating.

import { TEXTS, format } from "./config.js";
import { h, uniqueId } from "./dom.js";

// Deliberately loose: the server validates; this only catches typos before the customer leaves.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MAX_NOTE_CHARS = 2000;
const RATINGS = [1, 2, 3, 4, 5];

export function isPlausibleEmail(value) {
  return EMAIL_PATTERN.test(value.trim());
}

function field(label, control, hint) {
  return h("div", { class: "nw-field" }, h("label", { for: control.id }, label), control, hint);
}

const textArea = (rows) => h("textarea", { id: uniqueId("nw-text"), class: "nw-text", rows, maxlength: MAX_NOTE_CHARS });
const submitButton = (label) => h("button", { type: "submit", class: "nw-button" }, label);
const confirmation = (text) => h("div", { class: "nw-card nw-done", role: "status" }, text);

/** @param {function({email, note}): void} onSubmit */
export function ticketForm(onSubmit) {
  const error = h("p", { id: uniqueId("nw-email-error"), class: "nw-error", role: "alert" });
  const email = h("input", {
    id: uniqueId("nw-email"), type: "email", class: "nw-text", required: true, autocomplete: "email",
    inputmode: "email", "aria-describedby": error.id,
  });
  const note = textArea("3");
  const form = h("form", { class: "nw-card nw-ticket", novalidate: true, "aria-label": TEXTS.ticketTitle },
    h("h3", {}, TEXTS.ticketTitle),
    h("p", {}, TEXTS.ticketIntro),
    field(TEXTS.ticketEmail, email, error),
    field(TEXTS.ticketNote, note),
    submitButton(TEXTS.ticketSubmit));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const valid = isPlausibleEmail(email.value);
    error.textContent = valid ? "" : TEXTS.ticketInvalidEmail;
    if (!valid) {
      email.setAttribute("aria-invalid", "true");
      email.focus();
      return;
    }
    email.removeAttribute("aria-invalid");
    onSubmit({ email: email.value.trim(), note: note.value.trim() });
  });
  return form;
}

export function ticketConfirmation(email) {
  return confirmation(format(TEXTS.ticketThanks, { email }));
}

/** @param {function({rating, comment}): void} onSubmit */
export function csatForm(onSubmit) {
  let rating = 0;
  const error = h("p", { class: "nw-error", role: "alert" });
  const stars = RATINGS.map((value) => h("button", {
    type: "button", class: "nw-star", "aria-pressed": "false", "aria-label": format(TEXTS.csatStar, { n: value }),
    onClick: () => {
      rating = value;
      stars.forEach((star, index) => {
        star.classList.toggle("nw-star--on", index < value);
        star.setAttribute("aria-pressed", String(index + 1 === value));
      });
      error.textContent = "";
    },
  }, "★"));
  const questionId = uniqueId("nw-csat");
  const comment = textArea("2");
  const form = h("form", { class: "nw-card nw-csat", "aria-labelledby": questionId },
    h("h3", { id: questionId }, TEXTS.csatQuestion),
    h("div", { class: "nw-stars", role: "group", "aria-labelledby": questionId }, stars),
    error,
    field(TEXTS.csatComment, comment),
    submitButton(TEXTS.csatSubmit));
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
  return confirmation(TEXTS.csatThanks);
}
