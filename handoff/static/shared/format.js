// Numbers on the staff pages in German formats ("12,5 %", "1.234"); "–" where there is no value.
export const DE = "de-DE";
export const integer = new Intl.NumberFormat(DE);
export const decimal = new Intl.NumberFormat(DE, { maximumFractionDigits: 2 });
export const percentFormat = new Intl.NumberFormat(DE, { style: "percent", maximumFractionDigits: 1 });
// Model figures side by side (the trainer's macro-F1, confidence) read best with the same digits: "85,0 %".
const fixedPercent = new Intl.NumberFormat(DE, {
  style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
});

export const missing = (value) => value === null || value === undefined;
export const num = (value) => (missing(value) ? "–" : integer.format(value));
export const pct = (value) => (missing(value) ? "–" : percentFormat.format(value));
export const dec = (value) => (missing(value) ? "–" : decimal.format(value));
export const pctFixed = (value) => (missing(value) ? "–" : fixedPercent.format(value));
