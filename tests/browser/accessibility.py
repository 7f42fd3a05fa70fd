"""axe-core (vendored from npm, tests/browser/vendor/axe-core/SOURCE) against our pages: WCAG 2.1 A and AA rules.

The German accessibility act (BFSG, since June 2025) covers e-commerce customer service and so the chat widget;
its harmonised standard EN 301 549 points to WCAG 2.1 AA. Zero violations is the bar.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE_DIRECTORY = Path(__file__).resolve().parent / "vendor" / "axe-core"
WCAG_21_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_source: str | None = None


def axe_source() -> str:
    global _source
    if _source is None:
        _source = (AXE_DIRECTORY / "axe.min.js").read_text(encoding="utf-8")
    return _source


def vendored_version() -> str:
    return json.loads((AXE_DIRECTORY / "package.json").read_text(encoding="utf-8"))["version"]


def violations(page: Any, include: str | None = None) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (or inside `include`), each with its rule, impact and elements.

    Evaluated through the DevTools protocol, so the pages' Content-Security-Policy (no inline scripts) stays on."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """async ([include, tags]) => {
            const context = include ? { include: [include] } : document;
            const outcome = await axe.run(context, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
            return outcome.violations.map((v) => ({
                rule: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 160),
                                             summary: n.failureSummary })),
            }));
        }""",
        [include, list(WCAG_21_AA_TAGS)])
    return result


def report(found: list[dict[str, Any]]) -> str:
    """Readable assertion message: rule, impact, what to fix, where."""
    lines = []
    for violation in found:
        lines.append(f"{violation['rule']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append(f"      {node['summary']}".replace("\n", " "))
    return "\n".join(lines)


def assert_accessible(page: Any, state: str, include: str | None = None) -> None:
    found = violations(page, include)
    assert found == [], f"axe-core {AXE_VERSION} found WCAG 2.1 A/AA violations ({state}):\n{report(found)}"
