// The after-hours ticket form (e-mail + note) and the satisfaction rating.

import { TEXTS, format } from "./config.js";
import { h, uniqueId } from "./dom.js";

// Deliberately loose: the server validates; this only catches typos before the customer leaves.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MAX_NOTE_CHARS = 2000;
const RATINGS = [1, 2, 3, 4, 5];

const field = (label, control, hint) => h("div", { class: "nw-field" }, h("label", { for: control.id }, label), control, hint);
const textArea = (rows) => h("textarea", { id: uniqueId("nw-text"), class: "nw-text", rows, maxlength: MAX_NOTE_CHARS });
const submitButton = (label) => h("button", { type: "submit", class: "nw-button" }, label);
const confirmation = (text) => h("div", { class: "nw-card nw-done", role: "status" }, text);

/** A card form whose submit event only reaches `submit` (the page never reloads). */
const cardForm = (attributes, submit, ...children) =>
  h("form", { ...attributes, onSubmit: (event) => { event.preventDefault(); submit(); } }, ...children);

export function ticketForm(onSubmit) {
  const error = h("p", { id: uniqueId("nw-email-error"), class: "nw-error", role: "alert" });
  const email = h("input", {
    id: uniqueId("nw-email"), type: "email", class: "nw-text", required: true, autocomplete: "email",
    inputmode: "email", "aria-describedby": error.id,
  });
  const note = textArea("3");
  const submit = () => {
    const valid = EMAIL_PATTERN.test(email.value.trim());
    error.textContent = valid ? "" : TEXTS.ticketInvalidEmail;
    if (valid) {
      email.removeAttribute("aria-invalid");
      onSubmit({ email: email.value.trim(), note: note.value.trim() });
    } else {
      email.setAttribute("aria-invalid", "true");
      email.focus();
    }
  };
  return cardForm({ class: "nw-card nw-ticket", novalidate: true, "aria-label": TEXTS.ticketTitle }, submit,
    h("h3", {}, TEXTS.ticketTitle),
    h("p", {}, TEXTS.ticketIntro),
    field(TEXTS.ticketEmail, email, error),
    field(TEXTS.ticketNote, note),
    submitButton(TEXTS.ticketSubmit));
}

export const ticketConfirmation = (email) => confirmation(format(TEXTS.ticketThanks, { email }));

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
  const submit = () => {
    if (rating) return onSubmit({ rating, comment: comment.value.trim() });
    error.textContent = TEXTS.csatChooseRating;
    stars[0].focus();
  };
  return cardForm({ class: "nw-card nw-csat", "aria-labelledby": questionId }, submit,
    h("h3", { id: questionId }, TEXTS.csatQuestion),
    h("div", { class: "nw-stars", role: "group", "aria-labelledby": questionId }, stars),
    error,
    field(TEXTS.csatComment, comment),
    submitButton(TEXTS.csatSubmit));
}

export const csatConfirmation = () => confirmation(TEXTS.csatThanks);
