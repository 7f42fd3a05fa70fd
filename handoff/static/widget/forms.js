import { TEXTS, format } from "./config.js";
import { h, uniqueId } from "./dom.js";

// Loose on purpose: the server validates; this only catches typos.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MAX_NOTE_CHARS = 2000;
const RATINGS = [1, 2, 3, 4, 5];

const field = (label, control, hint) => h("div.nw-field", {}, h("label", { for: control.id }, label), control, hint);
const textArea = (rows) => h("textarea.nw-text", { id: uniqueId("nw-text"), rows, maxlength: MAX_NOTE_CHARS });
const submitButton = (label) => h("button.nw-button", { type: "submit" }, label);
const confirmation = (text) => h("div.nw-card.nw-done", { role: "status" }, text);

const cardForm = (tag, attributes, submit, ...children) =>
  h(tag, { ...attributes, onSubmit: (event) => { event.preventDefault(); submit(); } }, ...children);

export function ticketForm(onSubmit) {
  const error = h("p.nw-error", { id: uniqueId("nw-email-error"), role: "alert" });
  const email = h("input.nw-text", {
    id: uniqueId("nw-email"), type: "email", required: true, autocomplete: "email", "aria-describedby": error.id,
  });
  const note = textArea("3");
  const submit = () => {
    const address = email.value.trim();
    const valid = EMAIL_PATTERN.test(address);
    error.textContent = valid ? "" : TEXTS.ticketInvalidEmail;
    email.setAttribute("aria-invalid", !valid);
    if (valid) onSubmit({ email: address, note: note.value.trim() });
    else email.focus();
  };
  return cardForm("form.nw-card.nw-ticket", { novalidate: true, "aria-label": TEXTS.ticketTitle }, submit,
    h("h3", {}, TEXTS.ticketTitle),
    h("p", {}, TEXTS.ticketIntro),
    field(TEXTS.ticketEmail, email, error),
    field(TEXTS.ticketNote, note),
    submitButton(TEXTS.ticketSubmit));
}

export const ticketConfirmation = (email) => confirmation(format(TEXTS.ticketThanks, { email }));

export function csatForm(onSubmit) {
  let rating = 0;
  const error = h("p.nw-error", { role: "alert" });
  const stars = RATINGS.map((value) => h("button.nw-star", {
    type: "button", "aria-pressed": "false", "aria-label": format(TEXTS.csatStar, { n: value }),
    onClick: () => {
      rating = value;
      stars.forEach((star, index) => {
        star.classList.toggle("nw-star--on", index < value);
        star.setAttribute("aria-pressed", index + 1 === value);
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
  return cardForm("form.nw-card.nw-csat", { "aria-labelledby": questionId }, submit,
    h("h3", { id: questionId }, TEXTS.csatQuestion),
    h("div.nw-stars", { role: "group", "aria-labelledby": questionId }, stars),
    error,
    field(TEXTS.csatComment, comment),
    submitButton(TEXTS.csatSubmit));
}

export const csatConfirmation = () => confirmation(TEXTS.csatThanks);
