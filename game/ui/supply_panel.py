"""The supply panel: Japan's supply of each material in tonnes, drawn in the map's place.

Last quarter: what industry uses at full output, what arrived by way of contracts, the market
(from China and from elsewhere) and the stockpile, what recycling and the seabed made, and the
output lost. Held now: the stockpile in tonnes and days, and industry's own stocks. The
quarter now open: contracts due and what can arrive of them (an embargo, licences or a closed
seller cut that), releases and purchases ordered, and what is still to buy on the market. Below,
the embargoes and licences that bear on Japan now. Figures come from
game.world.supply_report; this module only lays them out.
"""

from __future__ import annotations

import pygame

from game.ui.indicator_bar import stockpile_days_shown
from game.ui.levers import SHORT
from game.ui.text import wrap
from game.world.supply_report import SupplyReport

#: (key, label, how to read the row): rows of the table, in order; a key starting with "#" is a
#: section heading. Labels are English templates for tr().
ROWS = (
    ("#last", "Last quarter ({quarter})", ""),
    ("need_t", "Industry's use at full output", ""),
    ("from_contracts_t", "Arrived under contracts", ""),
    ("from_market_china_t", "Bought on the market from China", ""),
    ("from_market_elsewhere_t", "Bought on the market elsewhere", ""),
    ("from_stockpile_t", "Sold from the national stockpile", ""),
    ("recycled_t", "Made by recycling Japan's scrap *", ""),
    ("deep_sea_t", "Made from the seabed mud *", ""),
    ("shortfall_t", "Output lost, in tonnes not used", "bad"),
    ("#held", "Held now", ""),
    ("stockpile", "National stockpile", ""),
    ("industry_stock_t", "Industry's own stocks", ""),
    ("#next", "This quarter ({quarter}), before it is played", ""),
    ("need_next_t", "Industry's use at full output", ""),
    ("contracts", "Contracts due (can arrive)", ""),
    ("orders", "Stockpile release / purchase ordered", ""),
    ("to_buy_next_t", "Still to buy on the market", "accent"),
)


def tonnes(value: float) -> str:
    return "-" if abs(value) < 0.5 else f"{value:,.0f}"


def cell(app, material, key: str) -> tuple[str, str]:
    """The text of one cell and its colour name."""
    tr = app.tr
    if key == "stockpile":
        if material.stockpile_t < 0.5:
            return "-", "text"
        return tr("{t} ({days:.0f} days)", t=tonnes(material.stockpile_t), days=material.stockpile_days), "text"
    if key == "contracts":
        due, likely = material.contracts_due_t, material.contracts_likely_t
        if due < 0.5:
            return "-", "text"
        if likely < due - 0.5:
            return f"{tonnes(due)} ({tonnes(likely)}) ⚠", "bad"
        return tonnes(due), "text"
    if key == "orders":
        release, purchase = material.release_ordered_t, material.purchase_ordered_t
        if release < 0.5 and purchase < 0.5:
            return "-", "text"
        return f"{tonnes(release)} / {tonnes(purchase)}", "text"
    value = getattr(material, key)
    return tonnes(value), "text"


def risks(app, report: SupplyReport) -> list[str]:
    """Lines under the table: what stands in the way of supply now, and why a contract may fall short."""
    tr, game = app.tr, app.game
    names = {code: game.nation_name(code, app.settings.language) for code in game.world.nation_codes}
    lines = []
    separator = "、" if app.settings.language == "ja" else ", "
    for exporter, materials, arriving in report.embargoes:
        # "about 0% still arrives" where nothing does (a whole quarter shut, no leak)
        lines.append(tr("{exporter} embargoes {materials}: about {share:.0%} still arrives" if arriving >= 0.005
                        else "{exporter} embargoes {materials}: none arrives", exporter=names.get(exporter, exporter),
                        materials=separator.join(SHORT[m] for m in materials), share=arriving))
    for exporter, material, rate in report.licences:
        lines.append(tr("{exporter} licenses {material} exports: {rate:.0%} of the usual tonnes approved",
                        exporter=names.get(exporter, exporter), material=SHORT[material], rate=rate))
    if not lines:
        lines.append(tr("No embargo or licence bears on Japan's supply now."))
    if any(m.stockpile_t >= 0.5 for m in report.materials):
        # The bar's "23 days" beside the table's "790 (42 days)": a player read the material's
        # own days as the figure the stockpile objective judges.
        lines.insert(0, tr("Stockpile days above are each material's own. All materials together, by what "
                           "industry's need of each is worth: {days:.0f} days, the bar's figure, which the "
                           "objectives judge.", days=stockpile_days_shown(game)))
    if any(m.recycled_t >= 0.5 or m.deep_sea_t >= 0.5 for m in report.materials):
        # A player added them to what arrived, and found industry's stocks short by as much.
        lines.insert(0, tr("* Sold on the market: what Japan's buyers took of it is in the market rows above."))
    for material in report.materials:
        for outlook in sorted(material.contracts, key=lambda c: (c.risk == "", -c.due_t)):
            if outlook.due_t < 0.5:
                continue  # a share of output that comes to nothing now
            seller = game.firm_name(outlook.seller_id, app.settings.language)
            if outlook.risk:
                lines.append(tr("{seller}: {material} contract, {likely} of {due} t can arrive ({reason})",
                                seller=seller, material=SHORT[material.material],
                                likely=f"{outlook.likely_t:,.0f}",  # 0, not the table's "-" for none
                                due=tonnes(outlook.due_t), reason=tr(outlook.risk)))
            else:
                lines.append(tr("{seller}: {material} contract, {due} t due", seller=seller,
                                material=SHORT[material.material], due=tonnes(outlook.due_t)))
    return lines


def heading_height(app) -> int:
    """The panel's heading and its materials' names, which stay in place while its rows scroll
    (the Map button stands in it: the rows scrolled under the button, which hid Ce/La's figures)."""
    return app.u(10) + app.font("text", bold=True).get_linesize() + app.u(2) + app.font("small").get_linesize()


def draw_supply_panel(app, size: tuple[int, int], report: SupplyReport,
                      last_quarter: str) -> tuple[pygame.Surface, tuple[int, ...], tuple[pygame.Rect, ...]]:
    """The panel as one surface ``size[0]`` wide and at least ``size[1]`` high: taller where its
    lines need more (the screen scrolls it); where a scroll may stop, in pixels scrolled past,
    each putting a whole row under the heading (a row cut in half ran up against the materials'
    names), the last showing the panel's end; and where its rows and notes draw their text, on
    the surface, below the heading (what a tooltip keeps off: one hid the notes)."""
    tr, c, u = app.tr, app.colours, app.u
    bold, text, small = app.font("small", bold=True), app.font("small"), app.font("small")
    pad = u(10)
    line = text.get_linesize()
    notes = [piece for entry in risks(app, report) for piece in wrap("• " + entry, small, size[0] - 2 * pad)]
    heading = heading_height(app)
    # The tops of the rows below the heading, then of the notes (a section's top before its gap):
    # the one layout the stops and the drawing below both read.
    tops, y = [], heading
    for key, _, _ in ROWS:
        tops.append(y)
        y += line + (u(3) if key.startswith("#") else 0)
    y += u(4)
    tops += [y + i * line for i in range(len(notes))]
    needed = y + len(notes) * line + pad
    stops = [top - heading for top in tops]
    end = needed - size[1]  # the scroll that shows the last line at the bottom
    if end > 0:
        # The first stop at or past the end, the panel drawn that much longer: the end still
        # shows whole, and so does the row at the top.
        end = next((stop for stop in stops if stop >= end), stops[-1] + line)
        stops = [stop for stop in stops if stop < end] + [end]
    else:
        stops = [0]
    surface = pygame.Surface((size[0], max(size[1], size[1] + stops[-1])))
    surface.fill(c.rgb("panel"))
    pygame.draw.rect(surface, c.rgb("panel_edge"), surface.get_rect(), 1)
    y = pad
    surface.blit(app.font("text", bold=True).render(tr("Japan's supply, tonnes of oxide"), True, c.rgb("text")),
                 (pad, y))
    y += app.font("text", bold=True).get_linesize() + u(2)
    label_w = round(size[0] * 0.46)
    column_w = (size[0] - label_w - 2 * pad) // len(report.materials)
    for k, material in enumerate(report.materials):
        title = SHORT[material.material]
        x = label_w + pad + (k + 1) * column_w - bold.size(title)[0]
        surface.blit(bold.render(title, True, c.rgb("focus")), (x, y))
    # (under the title and the materials' names, which the screen keeps in place)
    lines: list[pygame.Rect] = []
    for (key, label, colour), y in zip(ROWS, tops):
        if key.startswith("#"):
            quarter = report.quarter if key == "#next" else last_quarter
            surface.blit(bold.render(tr(label, quarter=quarter), True, c.rgb("accent")), (pad, y + u(3)))
            continue
        lines.append(pygame.Rect(pad + u(8), y, size[0] - 2 * pad - u(8), line))  # its label to its last figure
        surface.blit(text.render(tr(label), True, c.rgb("muted")), (pad + u(8), y))
        for k, material in enumerate(report.materials):
            shown, tone = cell(app, material, key)
            if colour and shown != "-":
                tone = colour
            rendered = text.render(shown, True, c.rgb(tone))
            x = label_w + pad + (k + 1) * column_w - rendered.get_width()
            surface.blit(rendered, (x, y))
    for piece, y in zip(notes, tops[len(ROWS):]):
        surface.blit(small.render(piece, True, c.rgb("text")), (pad, y))
        lines.append(pygame.Rect(pad, y, small.size(piece)[0], line))
    return surface, tuple(stops), tuple(lines)
