"""Getting a live meeting ready on the laptop: rounds, quorum, PINs and voting codes.

``thidua-rank serve`` calls :func:`prepare` before any page opens. The chair's and the clerk's
PINs are stored in the ballot box as salted hashes; so that ``serve`` can print them again at
every start (a restart must never lose them), their text is also kept in ``pins.json`` beside
the ballot box, readable by the laptop's user only (mode 0600), like the ballot box itself.
Whoever holds the laptop's account holds the meeting; the room's network never sees this file.

>>> import shutil, tempfile, pathlib
>>> from thidua_rank.resources import data_folder
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "m"
>>> _ = shutil.copytree(data_folder("sample_data") / "ninh-binh-co-quan-dang-2022", folder)
>>> ready = prepare(folder, pins={"chair": "2468"})
>>> ready.pins["chair"], len(ready.pins["clerk"]), len(ready.codes)
('2468', 6, 9)
>>> prepare(folder).pins == ready.pins and prepare(folder).codes == {}
True
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from thidua_rank.io.atomic import atomic_write
from thidua_rank.live.ballot_box import PIN_ROLES, Actor, BallotBox, Role
from thidua_rank.live.session import LiveMeeting

__all__ = ["Prepared", "new_pin", "pins_path", "prepare", "read_pins", "set_pin"]

PIN_DIGITS = 6


@dataclass(frozen=True)
class Prepared:
    """What ``serve`` prints: the live meeting, every PIN, and the codes issued just now."""

    live: LiveMeeting
    pins: Mapping[str, str]
    codes: Mapping[str, str] = field(default_factory=dict)


def pins_path(box: BallotBox) -> Path:
    """``pins.json`` beside the ballot box (mode 0600)."""
    return box.path.parent / "pins.json"


def read_pins(box: BallotBox) -> dict[str, str]:
    """The PINs kept for the terminal (empty when none were set)."""
    path = pins_path(box)
    if not path.exists():
        return {}
    return {k: str(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def new_pin() -> str:
    """A random PIN of six digits (wrong guesses are throttled by the ballot box)."""
    return f"{secrets.randbelow(10 ** PIN_DIGITS):0{PIN_DIGITS}d}"


def set_pin(box: BallotBox, role: Role, pin: str | None = None, *,
            actor: Actor | None = None) -> str:
    """Set *role*'s PIN (a new random one when *pin* is None); returns it. Pages that were
    unlocked with the old PIN must unlock again."""
    pin = (pin or new_pin()).strip()
    box.set_pin(role, pin, actor=actor or box.operator())
    pins = read_pins(box)
    pins[role] = pin
    atomic_write(pins_path(box), json.dumps(pins, ensure_ascii=False, indent=1).encode())
    return pin


def prepare(meeting: str | Path, *, box: str | Path | None = None,
            pins: Mapping[str, str | None] | None = None) -> Prepared:
    """Open the ballot box, register the rounds and quorum, set the PINs given (or a random
    one for a role that has none), log every page out, and issue codes to the units present
    when none exist."""
    live = LiveMeeting(meeting, box)
    operator = live.box.operator()
    wanted = dict(pins or {})
    for role in PIN_ROLES:
        if wanted.get(role) or not live.box.has_pin(role) or role not in read_pins(live.box):
            set_pin(live.box, role, wanted.get(role), actor=operator)
    live.box.forget_sessions(actor=operator)
    codes: dict[str, str] = {}
    if live.box.n_codes() == 0:
        codes = live.box.issue_codes(live.meeting.present, actor=operator)
    return Prepared(live=live, pins=read_pins(live.box), codes=codes)
