"""Servers: one Voilà launcher (:mod:`thidua_rank.server.voila`) and the two servers built on
it, the meeting room (:mod:`thidua_rank.server.meeting`) and the analyst's page
(:mod:`thidua_rank.server.analyst`)."""
