"""A stacked bar chart as inline SVG, drawn on the server: plans per year, one colour per issuer."""
from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

from markupsafe import Markup

PALETTE = ["#1f5fbf", "#c0392b", "#1e8449", "#b7950b", "#6a4fb3", "#117a8b", "#d35400", "#6d6d6d"]
OTHERS = "Các cơ quan khác"


def stacked_years(matrix: list[dict], max_issuers: int = 7, width: int = 720, height: int = 300) -> Markup:
    """`matrix`: [{"year", "issuer", "plans"}]. Issuers beyond the first `max_issuers` share one grey stack."""
    if not matrix:
        return Markup('<p class="empty">Chưa có kế hoạch nào có năm ban hành.</p>')
    totals: dict[str, int] = defaultdict(int)
    for cell in matrix:
        totals[cell["issuer"] or "?"] += cell["plans"]
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    shown = ranked[:max_issuers]
    colour = {issuer: PALETTE[k % len(PALETTE)] for k, issuer in enumerate(shown)}
    if len(ranked) > max_issuers:
        colour[OTHERS] = "#b0b6c3"
    stacks: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell in matrix:
        issuer = cell["issuer"] or "?"
        stacks[cell["year"]][issuer if issuer in shown else OTHERS] += cell["plans"]
    years = list(range(min(stacks), max(stacks) + 1))
    top = max(sum(s.values()) for s in stacks.values())
    left, bottom, plot_top, legend_h = 40, 30, 10, 18 * ((len(colour) + 1) // 2)
    plot_h = height - bottom - plot_top
    step = (width - left - 10) / len(years)
    bar = min(48, step * 0.7)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height + legend_h + 10}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="Số kế hoạch theo năm, theo cơ quan ban hành">']
    for k in range(0, top + 1, max(1, round(top / 5))):  # grid lines and counts
        y = plot_top + plot_h - k / top * plot_h
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ec"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#5b6478">{k}</text>')
    for i, year in enumerate(years):
        x = left + i * step + (step - bar) / 2
        y = plot_top + plot_h
        for issuer in list(colour):
            n = stacks.get(year, {}).get(issuer, 0)
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{colour[issuer]}"><title>{year} · {escape(issuer)}: {n} kế hoạch</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{plot_top + plot_h + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#1d2433">{year}</text>')
    for k, (issuer, fill) in enumerate(colour.items()):
        lx, ly = left + (k % 2) * (width - left) / 2, height + 10 + (k // 2) * 18
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{fill}"/>'
                     f'<text x="{lx + 18:.1f}" y="{ly}" font-size="12" fill="#1d2433">{escape(issuer[:60])} '
                     f'({totals.get(issuer, sum(v for i, v in totals.items() if i not in shown))})</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
