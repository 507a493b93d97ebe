"""Drive the sample meeting's ballot box through the moments the projector shows (used by
tests/ui/test_projector.py and tests/browser/test_projector_hall.py)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

from live_helpers import CLERK_PIN, PIN, SAMPLE, sample_copy

from thidua_rank.live.ballot_box import BallotBoxError
from thidua_rank.live.session import OUTCOME_FOCUS, LiveMeeting
from thidua_rank.live.setup import prepare

MOMENTS = ("welcome", "turnout", "closed", "reveal", "election", "outcome")
"""The moments, in the order a meeting reaches them."""


INVALID = "không hợp lệ"
"""A sample ballot file's column marking a ballot the count set aside (not cast here)."""


def _rows(name: str, sample: Path = SAMPLE) -> tuple[list[str], list[list[str]]]:
    with (sample / "ballots" / name).open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0][1:], [r[1:] for r in rows[1:]]
    if INVALID in header:
        mark = header.index(INVALID)
        body = [[c for j, c in enumerate(r) if j != mark] for r in body
                if not (len(r) > mark and r[mark].strip())]
        header = [h for j, h in enumerate(header) if j != mark]
    return header, body


class Hall:
    """The sample meeting (every unit present, five certificates of merit so the awards fill
    more than one page) and its chair, moved from one moment to the next."""

    def __init__(self, tmp: Path, sample: Path | None = None) -> None:
        if sample is None:
            folder = sample_copy(tmp, all_present=True)
            toml = folder / "meeting.toml"
            text = toml.read_text(encoding="utf-8")
            text = text.replace('quota = "20% còn lại"', "quota = 6").replace(
                "min_score = 85", "min_score = 0")
            toml.write_text(text, encoding="utf-8")
        else:  # another sample as it is
            folder = tmp / "meeting"
            shutil.copytree(sample, folder, ignore=shutil.ignore_patterns(".thidua"))
        self.sample = sample or SAMPLE
        ready = prepare(folder, pins={"chair": PIN, "clerk": CLERK_PIN})
        self.folder = folder
        self.live: LiveMeeting = ready.live
        self.codes = list(ready.codes.values())
        self.box = self.live.box
        self.unlock()
        self.moment = "welcome"

    def unlock(self) -> None:
        """Enter the chair's and the clerk's PINs (again after ``serve`` logged everyone
        out)."""
        self.chair = self.box.unlock("chair", PIN)
        self.clerk = self.box.unlock("clerk", CLERK_PIN)

    def cast(self, round_id: str, name: str, start: int = 0, stop: int | None = None) -> None:
        """Cast the sample's ballots *start*:*stop* of *round_id* (a refused one goes on
        paper)."""
        header, rows = _rows(name, self.sample)
        spec = self.box.spec(round_id)
        order = [spec.candidates.index(self.live.meeting.index.name(h)) for h in header]
        for code, cells in list(zip(self.codes, rows, strict=False))[start:stop]:
            row: list[Any] = [""] * len(order)
            for j, c in zip(order, cells, strict=True):
                row[j] = c
            try:
                self.box.cast(round_id, code, row)
            except BallotBoxError:
                self.box.hand_out_paper(round_id, code, actor=self.clerk)
                self.box.enter_paper(round_id, f"{round_id}-{code}", row, actor=self.clerk,
                                     clerk="Thư ký")

    def count_everything(self) -> None:
        """Every round voted with its sample ballot file (the ballots the count set aside are
        left out), closed and revealed to the top; the projector on the overall outcome."""
        for spec, _ in self.box.rounds():
            self.box.set_state(spec.id, "open", actor=self.chair)
            self.cast(spec.id, f"{spec.id}.csv")
            self.box.set_state(spec.id, "closed", actor=self.chair, confirm=True)
            self.box.set_state(spec.id, "revealed", actor=self.chair)
            if spec.decides == "ranking":
                self.box.advance_reveal(spec.id, 99, actor=self.chair)
        self.box.set_focus(OUTCOME_FOCUS, actor=self.chair)
        self.moment = "outcome"

    def joint_step(self) -> int:
        """The reveal step that first shows the ranking's joint place."""
        groups = self.live.view("xep-hang").result.groups()  # type: ignore[union-attr]
        joint = max(i for i, g in enumerate(groups) if len(g) > 1)
        return len(groups) - joint

    def to(self, moment: str) -> None:
        """Move forward to *moment* (one of :data:`MOMENTS`)."""
        for step in MOMENTS[MOMENTS.index(self.moment) + 1:MOMENTS.index(moment) + 1]:
            getattr(self, f"_{step}")()
            self.moment = step

    def _turnout(self) -> None:
        for rid in ("xep-hang", "truong-khoi"):
            self.box.set_state(rid, "open", actor=self.chair)
            self.box.set_focus(rid, actor=self.chair)
        self.cast("xep-hang", "xep-hang.csv", 0, 7)
        self.cast("truong-khoi", "truong-khoi.csv", 0, 4)

    def _closed(self) -> None:
        self.cast("xep-hang", "xep-hang.csv", 7)
        self.box.set_state("xep-hang", "closed", actor=self.chair, confirm=True)
        self.box.set_focus("xep-hang", actor=self.chair)

    def _reveal(self) -> None:
        self.box.set_state("xep-hang", "revealed", actor=self.chair)
        self.box.set_focus("xep-hang", actor=self.chair)
        self.box.advance_reveal("xep-hang", self.joint_step(), actor=self.chair)

    def _election(self) -> None:
        self.box.advance_reveal("xep-hang", 99, actor=self.chair)
        self.cast("truong-khoi", "truong-khoi.csv", 4)
        self.box.set_state("truong-khoi", "closed", actor=self.chair, confirm=True)
        self.box.set_state("truong-khoi", "revealed", actor=self.chair)
        self.box.set_focus("truong-khoi", actor=self.chair)

    def _outcome(self) -> None:
        self.box.set_state("pho-truong-khoi", "open", actor=self.chair)
        self.cast("pho-truong-khoi", "pho-truong-khoi.csv")
        self.box.set_state("pho-truong-khoi", "closed", actor=self.chair, confirm=True)
        self.box.set_state("pho-truong-khoi", "revealed", actor=self.chair)
        self.box.set_focus(OUTCOME_FOCUS, actor=self.chair)
