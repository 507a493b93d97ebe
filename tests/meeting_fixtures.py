"""A ten-unit bloc shared by the meeting and ballot-box tests: members, tiers, a head round and
ranked ballots (``make_meeting`` in conftest.py turns them into a meeting folder)."""

from __future__ import annotations

UNITS = [f"Đơn vị {c}" for c in "ABCDEFGHIJ"]
MEMBERS = [(c, f"Đơn vị {c}", 1) for c in "ABCDEFGHIJ"]

TIERS = """
[[tiers]]
id = "co-cp"
label = "Cờ thi đua của Chính phủ"
quota = 1
[[tiers]]
id = "co-tinh"
label = "Cờ thi đua của UBND tỉnh"
quota = 1
[[tiers]]
id = "bang-khen"
label = "Bằng khen của UBND tỉnh"
quota = "{bk_quota}"
cutoff_tie = "{cutoff}"
"""

HEAD = """
[meeting]
id = "test"
bloc = "Khối thi đua thử nghiệm"
year_reviewed = 2022
[ranking]
combine = "vote"
vote_round = "xep-hang"
[[rounds]]
id = "xep-hang"
title = "Xếp hạng"
decides = "ranking"
ballots = "xep-hang.csv"
[tie_break]
chain = ["head_to_head", "joint"]
"""

# Ten ballots. Borda (n = 10): A first everywhere, B second; C and D swap places 3/4 on five
# ballots each, so they tie exactly in Borda points and head-to-head (5–5); E..J follow.
RANKED = [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10] if i % 2 == 0 else [1, 2, 4, 3, 5, 6, 7, 8, 9, 10]
          for i in range(10)]
