"""Report sections as CSV tables: German headers, `;` and decimal comma as German spreadsheets expect them.

The page shows the same tables (handoff/static/reports/); this is the download behind each "CSV" button.
"""
from __future__ import annotations

import csv
import io
from typing import Any, Callable, Iterable, Sequence

Row = Sequence[Any]
Table = tuple[Sequence[str], list[Row]]
# A leading = + - @ would make a spreadsheet evaluate the cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"   # so that spreadsheet programs read the umlauts as UTF-8


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _volume(report: dict[str, Any]) -> Table:
    rows = [(row["channel"], row["conversations"], row["customer_messages"], _percent(row["share"]))
            for row in report["volume"]["channels"]]
    return ("Kanal", "Gespräche", "Kundennachrichten", "Anteil Gespräche (%)"), rows


def _outcome(report: dict[str, Any]) -> Table:
    o = report["outcome"]
    rows = [("Gespräche", o["conversations"]), ("Vom Bot bedient", o["bot_engaged"]),
            ("Ohne Mensch gelöst", o["contained"]), ("Eindämmungsquote (%)", _percent(o["containment_rate"])),
            ("Übergeben", o["handed_off"]), ("Übergabequote (%)", _percent(o["handoff_rate"])),
            ("Übergabequote über alle Gespräche (%)", _percent(o["handoff_rate_all_conversations"])),
            ("Übergaben", o["handoffs"]), ("Tickets außerhalb der Geschäftszeiten", o["after_hours_tickets"]),
            ("Tickets mangels freier Person", o["no_agent_tickets"])]
    return ("Kennzahl", "Wert"), rows


def _handoff_reasons(report: dict[str, Any]) -> Table:
    section = report["handoff_reasons"]
    header = ["Zeitraum", *(series["reason"] for series in section["series"])]
    rows = [(bucket, *(series["counts"][index] for series in section["series"]))
            for index, bucket in enumerate(section["buckets"])]
    return header, rows


def _waiting(report: dict[str, Any]) -> Table:
    names = {"time_in_queue": "Zeit in der Warteschlange", "first_response": "Erste Antwort",
             "resolution": "Lösungszeit"}
    rows = [(label, stats["count"], _seconds(stats["p50_seconds"]), _seconds(stats["p90_seconds"]),
             _seconds(stats["p50_business_seconds"]), _seconds(stats["p90_business_seconds"]))
            for key, label in names.items() for stats in (report["waiting"][key],)]
    rows.append(("Abgebrochene Wartezeiten", report["waiting"]["abandoned"], None, None, None, None))
    return ("Kennzahl", "Anzahl", "p50 (Sekunden)", "p90 (Sekunden)", "p50 Geschäftszeit (Sekunden)",
            "p90 Geschäftszeit (Sekunden)"), rows


def _frt_distribution(report: dict[str, Any]) -> Table:
    return ("Erste Antwort nach", "Übergaben"), [(row["bucket"], row["count"]) for row in report["frt_distribution"]]


def _csat(report: dict[str, Any]) -> Table:
    c = report["csat"]
    rows: list[Row] = [(f"{stars} Sterne", c["distribution"][str(stars)]) for stars in range(1, 6)]
    rows += [("Bewertungen", c["ratings"]), ("Durchschnitt", None if c["average"] is None else round(c["average"], 2)),
             ("Zufriedenheit 4–5 (%)", _percent(c["satisfaction_score"])), ("Umfragen gesendet", c["surveys_sent"]),
             ("Umfragen beantwortet", c["surveys_answered"]), ("Antwortquote (%)", _percent(c["response_rate"]))]
    return ("Kennzahl", "Wert"), rows


def _tickets(report: dict[str, Any]) -> Table:
    t = report.get("tickets") or {}
    rows: list[Row] = [("Gesamt", "", t.get("created"), t.get("solved"), t.get("overdue"),
                        _percent(t.get("sla_met_rate")))]
    for group, label in (("by_kind", "Art"), ("by_agent", "Bearbeiter")):
        for row in t.get(group, []):
            rows.append((label, row["name"], row["created"], row["solved"], row["overdue"],
                         _percent(row["sla_met_rate"])))
    return ("Gruppe", "Name", "Erstellt", "Gelöst", "Überfällig", "SLA eingehalten (%)"), rows


def _topics(report: dict[str, Any]) -> Table:
    rows = [(row["intent"], row["messages"], _percent(row["not_understood_rate"]), row["conversations"],
             _percent(row["handoff_rate"]), row["tones"]["calm"], row["tones"]["frustrated"], row["tones"]["abusive"])
            for row in report["topics"]]
    return ("Thema (Intent)", "Nachrichten", "Nicht verstanden (%)", "Gespräche", "Übergabequote (%)", "ruhig",
            "verärgert", "beleidigend"), rows


OVERVIEW_TABLES: dict[str, Callable[[dict[str, Any]], Table]] = {
    "volume": _volume, "outcome": _outcome, "handoff_reasons": _handoff_reasons, "waiting": _waiting,
    "frt_distribution": _frt_distribution, "csat": _csat, "tickets": _tickets,
}
TOPICS_TABLE = _topics


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(header: Sequence[str], rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return UTF8_BOM + out.getvalue()
