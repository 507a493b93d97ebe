"""Further sub-commands of the command line, registered with :func:`thidua_rank.cli.command`.

Each feature area (templates, synthetic meetings, the live meeting server, voting codes) adds
its sub-command here by importing its module; the modules import lazily what they need.
"""

from thidua_rank import cli_analyst as _cli_analyst  # noqa: F401  (analyst)
from thidua_rank import cli_data as _cli_data  # noqa: F401  (template, synth)
from thidua_rank import cli_live as _cli_live  # noqa: F401  (serve, codes, verify)
