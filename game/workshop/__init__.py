"""Workshops: a class plays the crisis as nations (and firms), a facilitator runs it. So far:
scenario codes (``codes``); roles, the server, the facilitator's panel, the report and the
handouts are to come (issue "Workshop mode")."""
