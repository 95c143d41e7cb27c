"""The accessibility gate: axe-core run inside the page under test.

axe-core comes from the npm registry (tests/browser/axe/package.json, pinned by
its lock file; `make axe` installs it). The pages' CSP rightly refuses script
tags, so the script is evaluated through Playwright's `page.evaluate`, which
runs outside the page's CSP.
"""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# What fails the gate: axe's two top impacts. "moderate" and "minor" are
# reported by the pages' own tests where they matter.
BLOCKING = ("serious", "critical")


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(f"axe-core is not installed at {AXE_JS}: run `make axe`")
    return AXE_JS.read_text()


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, at the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def assert_accessible(page, *, impacts=BLOCKING) -> None:
    """Fail with axe's own words when the page has a serious or critical violation."""
    found = axe_violations(page, impacts=impacts)
    assert not found, f"axe on {page.url}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']}\n    "
        + "\n    ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"])
        for v in found
    )
