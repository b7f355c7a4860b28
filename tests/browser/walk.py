"""Walking the whole site as one person: every page reachable by following links from where a person
starts, each checked for dead ends (a link the person may not open), sideways scrolling at phone width
and accessibility (axe-core, vendored into the test tooling only)."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE_IMPACTS = ("critical", "serious")
# Moderate findings that still get in a person's way: a screen-reader user skimming by headings.
AXE_ALSO = ("heading-order",)

# Links that are not pages to read: actions, downloads, machine endpoints and the payment simulator
# (a stand-in for Razorpay's own checkout, reached by paying, not by browsing).
NOT_PAGES = re.compile(
    r"^/(api/|static/|media/|health|simulator/|account/data-export|admin/logout|admin/jsi18n|admin/r/)"
    r"|/(delete|history|password)/$"
)
# Django admin pages that are Django's own (password change, per-object history, deletions) are left out;
# the project's admin is its index, dashboards, change lists and change forms.
ADMIN_NOT_PAGES = re.compile(r"/admin/(password_change|auth/group)/|/admin/.+/add/$")


@dataclass
class Visit:
    path: str
    status: int
    width: int | None = None
    violations: list[dict] = field(default_factory=list)


@dataclass
class Walk:
    visits: list[Visit] = field(default_factory=list)

    def dead_ends(self) -> list[str]:
        return [f"{v.path} -> {v.status}" for v in self.visits if v.status >= 400]

    def too_wide(self, limit: int = PHONE["width"]) -> list[str]:
        return [f"{v.path}: {v.width}px" for v in self.visits if v.width and v.width > limit]

    def accessibility(self) -> list[str]:
        return [f"{v.path}: [{item['impact']}] {item['id']}: {item['help']} -> {', '.join(item['targets'][:3])}"
                for v in self.visits for item in v.violations]


def _normalise(base: str, href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path or "/"
    if NOT_PAGES.search(path) or ADMIN_NOT_PAGES.search(path):
        return None
    # Query strings: the first page of a list is the page; sorting, filtering and later pages repeat it,
    # except the filters a person types or picks, which are kept once each.
    if parts.query and not re.fullmatch(r"(status|sort|unread)=[a-z_]+", parts.query):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _admin_key(path: str) -> str:
    """One change form per model is enough: /admin/app/model/<id>/change/ -> /admin/app/model/*/change/."""
    return re.sub(r"^(/admin/[^/]+/[^/]+/)[^/]+/change/$", r"\1*/change/", path)


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
            const r = await axe.run(context, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        list(exclude),
    )
    return [item for item in result if item["impact"] in AXE_IMPACTS or item["id"] in AXE_ALSO]


def broken_references(page) -> list[dict]:
    """Ids named by aria-describedby, aria-labelledby, aria-controls or a label's ``for`` that no element
    has (axe reports these only as 'needs review' while one of several ids exists)."""
    return page.evaluate(
        """() => {
            const missing = [];
            for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
                for (const el of document.querySelectorAll(`[${attr}]`)) {
                    for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                        if (!document.getElementById(id)) missing.push(`${el.tagName.toLowerCase()}[${attr}=${id}]`);
                    }
                }
            }
            return missing.map(target => ({id: 'missing-reference', impact: 'serious',
                                            help: 'Referenced id does not exist', targets: [target]}));
        }"""
    )


def check_page(page, *, axe_exclude: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    """Width at the current viewport, and the accessibility findings, of the page as it is now."""
    return page_width(page), axe_violations(page, exclude=axe_exclude) + broken_references(page)


def page_width(page) -> int:
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def walk_site(page, base: str, start: list[str], *, limit: int = 120, admin: bool = False,
              axe_exclude: tuple[str, ...] = ()) -> Walk:
    """Breadth-first over the links of every page reached from ``start`` (paths), at phone width."""
    page.set_viewport_size(PHONE)
    walk, seen, queue = Walk(), set(), deque(start)
    while queue and len(walk.visits) < limit:
        path = queue.popleft()
        key = _admin_key(path)
        if key in seen:
            continue
        seen.add(key)
        response = page.goto(base + path)
        status = response.status if response else 0
        visit = Visit(path=path, status=status)
        walk.visits.append(visit)
        if status >= 400 or "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        visit.width, visit.violations = check_page(page, axe_exclude=axe_exclude)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            target = _normalise(base, href)
            if target is None or _admin_key(target) in seen:
                continue
            if target.startswith("/admin/") != admin:
                continue
            queue.append(target)
    return walk


def form_errors_visit(page, base: str, path: str, *, axe_exclude: tuple[str, ...] = ()) -> Visit:
    """The page's main form sent empty, so its error state (messages, aria-invalid, described-by) is checked too."""
    page.set_viewport_size(PHONE)
    page.goto(base + path)
    form = page.locator("main form[method=post]").filter(has=page.locator("input:not([type=hidden]), textarea")).first
    for field in form.locator("input[type=text], input[type=email], input[type=number], input[type=password], "
                              "input[type=tel], textarea").all():
        field.fill("")
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    visit = Visit(path=f"{path} (sent empty)", status=200)
    visit.width, visit.violations = check_page(page, axe_exclude=axe_exclude)
    return visit
