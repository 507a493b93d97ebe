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

PIN, CLERK_PIN = "2468", "1357"
"""The chair's and the clerk's PINs of the live-meeting tests."""

DEPUTIES = """
[[rounds]]
id = "pho"
title = "Bầu Phó Trưởng khối (chọn 2)"
title_en = "Deputies"
decides = "deputies"
kind = "choose"
seats = 2
max_choices = 2
candidates = ["Đơn vị A", "Đơn vị B", "Đơn vị C", "Đơn vị D"]
"""
"""A deputies round choosing two of four units, with no threshold."""

DEPUTIES_OVER_HALF = DEPUTIES + (
    'threshold = { share = "50%", denominator = "valid", comparison = ">" }\n')
"""The same round where a deputy needs more than half of the valid ballots."""

DEPUTIES_ROUND_1 = [[1, 1, 0, 0]] * 5 + [[1, 0, 1, 0]] * 3 + [[0, 0, 1, 1]] + [[0, 0, 0, 1]]
"""Ten ballots: A on 8 (elected), B on 5 (50 % is not more than half: a seat stays unfilled),
C on 4, D on 2."""
