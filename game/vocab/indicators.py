"""The names of the indicators a run records each quarter, in the order a run's CSV holds them.

The world computes them (``game.world.indicators.REPORTERS``, one reporter per name); the
level reader checks objectives against them; the window and the CLI show them.
"""

#: Recorded by the world each quarter.
RECORDED = (
    "turn", "quarter",
    "price_ndpr_japan", "price_ndpr_china", "price_dytb_japan", "price_dytb_china",
    "price_cela_japan", "price_cela_china",
    "japan_output_index", "japan_china_share", "japan_stockpile_days", "japan_demand_t",
    "japan_imports_t", "china_exports_t", "china_tension_japan",
    "japan_budget_musd", "japan_political_capital", "japan_environmental_impact",
    "japan_secured_share", "japan_recycling_tpy", "japan_recycled_tpy", "japan_deep_sea_stages",
    # Beside the reference's production figures (rare-earths calibrate): t REO mined this
    # quarter, by the world and by the nations the reference reports; NdPr Lynas made.
    "world_mined_t", "china_mined_t", "usa_mined_t", "australia_mined_t", "myanmar_mined_t",
    "lynas_ndpr_t", "japan_received_outside_china_t",
    # The world's balance of the magnet oxides, t this quarter: what its industry uses at full
    # output, what its plants and recyclers made, and the stock its sellers hold at the end.
    "world_ndpr_need_t", "world_ndpr_made_t", "world_ndpr_stock_t",
    "world_dytb_need_t", "world_dytb_made_t", "world_dytb_stock_t",
)
#: The values an indicator can take where the world bounds it (a share, an index, tension, a
#: count of stages) or it counts what cannot fall below nothing (tonnes, days): an objective
#: whose threshold lies outside is met always or never ("output index never below 2" gave no
#: star whatever was played, "never below -1" a star for nothing).
INDICATOR_RANGES: dict[str, tuple[float, float | None]] = {
    "japan_output_index": (0.0, 1.0), "japan_china_share": (0.0, 1.0), "china_tension_japan": (0.0, 1.0),
    "japan_environmental_impact": (0.0, 1.0), "japan_deep_sea_stages": (0.0, 5.0),
    **{name: (0.0, None) for name in (
        "japan_stockpile_days", "japan_demand_t", "japan_imports_t", "china_exports_t", "japan_secured_share",
        "japan_recycling_tpy", "world_mined_t", "china_mined_t", "usa_mined_t", "australia_mined_t",
        "myanmar_mined_t", "lynas_ndpr_t", "japan_received_outside_china_t", "world_ndpr_need_t",
        "world_ndpr_made_t", "world_ndpr_stock_t", "world_dytb_need_t", "world_dytb_made_t", "world_dytb_stock_t")},
}
#: The same for a workshop team's columns, a nation's (NATION_RECORDED) and a company's
#: (COMPANY_RECORDED): a role's objective is judged on them.
TEAM_INDICATOR_RANGES: dict[str, tuple[float, float | None]] = {
    **{name: (0.0, 1.0) for name in ("output_index", "china_share", "world_mining_share", "highest_tension",
                                     "tension_with_china", "in_business", "ndpr_share_outside_china",
                                     "running_share")},
    **{name: (0.0, None) for name in ("stockpile_days", "secured_share", "mined_t", "exports_t", "imports_t",
                                      "received_outside_china_t", "capacity_tpy", "oxide_t", "ndpr_t")},
}
#: Columns in the order a run writes them: the indicators, then the level's running result.
COLUMNS = RECORDED + ("score", "stars")
#: What a workshop team's own nation records each quarter (game.world.indicators.NATION_REPORTERS,
#: after the turn and the quarter), the columns a role's objectives judge.
NATION_RECORDED = (
    "output_index", "china_share", "stockpile_days", "secured_share", "budget_musd", "political_capital",
    "mined_t", "world_mining_share", "exports_t", "export_value_musd", "imports_t", "received_outside_china_t", "royalties_musd",
    "highest_tension", "tension_with_china", "price_ndpr",
)
#: What a workshop team playing a company records each quarter (game.world.indicators.company_row).
COMPANY_RECORDED = (
    "in_business", "cash_musd", "debt_musd", "capacity_tpy", "oxide_t", "ndpr_t", "ndpr_share_outside_china",
    "running_share",
)

#: What each column of a run's rows means, for ``run --help`` and ``sweep --help``, which list
#: them from ``COLUMNS`` itself (a column without a meaning here fails their help and its test).
COLUMN_MEANINGS = {
    "turn": "quarters played, from 1",
    "quarter": "the quarter, 2010Q4",
    "price_ndpr_japan": "NdPr oxide price in Japan, US$/kg",
    "price_ndpr_china": "NdPr oxide price inside China, US$/kg",
    "price_dytb_japan": "Dy/Tb oxide price in Japan, US$/kg",
    "price_dytb_china": "Dy/Tb oxide price inside China, US$/kg",
    "price_cela_japan": "Ce/La oxide price in Japan, US$/kg",
    "price_cela_china": "Ce/La oxide price inside China, US$/kg",
    "japan_output_index": "how fully Japan's manufacturers were supplied, 1.0 = fully",
    "japan_china_share": "share of the tonnes Japan's buyers received from China, 0 to 1",
    "japan_stockpile_days": "days of Japan's use its national stockpile holds",
    "japan_demand_t": "t REO Japan's industry needed this quarter",
    "japan_imports_t": "t REO Japan imported this quarter",
    "china_exports_t": "t REO China exported this quarter",
    "china_tension_japan": "China's tension with Japan, 0 to 1",
    "japan_budget_musd": "Japan's budget for its levers, US$ million",
    "japan_political_capital": "Japan's political capital left",
    "japan_environmental_impact": "environmental impact of Japan's programmes",
    "japan_secured_share": "share of a year's needs Japan has secured outside China (contracts, offtake rights), 0 to 1",
    "japan_recycling_tpy": "recycling capacity taking Japan's scrap, t/yr of oxide",
    "japan_recycled_tpy": "oxide recycled from Japan's scrap this quarter, at a yearly rate, t/yr",
    "japan_deep_sea_stages": "stages of Japan's deep-sea mud programme completed, 0 to 5",
    "world_mined_t": "t REO the world mined this quarter",
    "china_mined_t": "t REO China mined this quarter",
    "usa_mined_t": "t REO the United States mined this quarter",
    "australia_mined_t": "t REO Australia mined this quarter",
    "myanmar_mined_t": "t REO Myanmar mined this quarter",
    "lynas_ndpr_t": "t NdPr oxide Lynas made this quarter",
    "japan_received_outside_china_t": "t oxide that reached Japan this quarter from outside China",
    "world_ndpr_need_t": "t NdPr oxide the world's industry would use at full output this quarter",
    "world_ndpr_made_t": "t NdPr oxide the world's plants and recyclers made this quarter",
    "world_ndpr_stock_t": "t NdPr oxide the world's sellers hold unsold at the quarter's end",
    "world_dytb_need_t": "t Dy/Tb oxide the world's industry would use at full output this quarter",
    "world_dytb_made_t": "t Dy/Tb oxide the world's plants and recyclers made this quarter",
    "world_dytb_stock_t": "t Dy/Tb oxide the world's sellers hold unsold at the quarter's end",
    "score": "the level's running score",
    "stars": "the stars the level's objectives give so far, 0 to 3",
}


def columns_help(leading: tuple[tuple[str, str], ...] = ()) -> str:
    """The columns of a run's rows, one a line with its meaning, after ``leading`` (name,
    meaning): the text of ``run --help`` and ``sweep --help``."""
    named = (*leading, *((name, COLUMN_MEANINGS[name]) for name in COLUMNS))
    width = max(len(name) for name, _ in named)
    return "\n".join(f"  {name.ljust(width)}  {meaning}" for name, meaning in named)
