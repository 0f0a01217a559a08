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
    "japan_secured_share", "japan_recycling_tpy", "japan_deep_sea_stages",
    # Beside the reference's production figures (rare-earths calibrate): t REO mined this
    # quarter, by the world and by the nations the reference reports; NdPr Lynas made.
    "world_mined_t", "china_mined_t", "usa_mined_t", "australia_mined_t", "myanmar_mined_t",
    "lynas_ndpr_t", "japan_received_outside_china_t",
    # The world's balance of the magnet oxides, t this quarter: what its industry uses at full
    # output, what its plants and recyclers made, and the stock its sellers hold at the end.
    "world_ndpr_need_t", "world_ndpr_made_t", "world_ndpr_stock_t",
    "world_dytb_need_t", "world_dytb_made_t", "world_dytb_stock_t",
)
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
