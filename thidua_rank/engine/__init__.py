"""The engine: the data every method works on and the one result type they return.

``ballots`` (long-form ballots and their validity rules), ``scores`` (the criteria score sheet),
``result`` (``RankResult``), ``thresholds`` (exact shares, pass rules and quotas) and
``registry`` (the ``@register`` decorator). Nothing here reads files or knows about meetings.
"""
