"""Which law a school's document answers to: the SOP of 2014 or the schoolgids of 2025.

Passend onderwijs (2014) asked every school for a schoolondersteuningsprofiel (SOP),
set at least once every four years with the advice of the MR. The Wet versterking
positie ouders en leerlingen in het passend onderwijs (Kamerstuk 36443) moves the
school's basisondersteuning and extra ondersteuningsaanbod into the schoolgids, which
is set every year with the consent (instemming) of the parents' section of the MR,
after the pupils have had their say (art. 13b WPO). Its part on the schoolgids was
planned to take effect on 1 August 2025.

A regime is chosen per school: `regime` in sopc.toml, else in the SWV layer, else by
the school year: a school year that starts on or after the commencement date
(`schoolgids_vanaf`, default 1 August 2025) falls under the schoolgids. docs/
schoolgids.md explains this to an IB'er.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sopc.models import SwvLayer

SOP_2014 = "sop-2014"
SCHOOLGIDS_2025 = "schoolgids-2025"
REGIMES = (SOP_2014, SCHOOLGIDS_2025)
DEFAULT_COMMENCEMENT = datetime.date(2025, 8, 1)
SCHOOL_YEAR_START = (8, 1)  # a Dutch school year runs from 1 August to 31 July


@dataclass(frozen=True, slots=True)
class Regime:
    name: str  # SOP_2014 or SCHOOLGIDS_2025
    chosen_by: str  # Dutch, for messages: 'sopc.toml', 'de SWV-laag' or 'het schooljaar'

    @property
    def is_schoolgids(self) -> bool:
        return self.name == SCHOOLGIDS_2025


def school_year_start(school_year: str) -> datetime.date:
    """'2025-2026' → 1 August 2025."""
    return datetime.date(int(school_year[:4]), *SCHOOL_YEAR_START)


def school_year_of(day: datetime.date) -> str:
    """The school year a day lies in: 23 November 2026 → '2026-2027'."""
    first = day.year if (day.month, day.day) >= SCHOOL_YEAR_START else day.year - 1
    return f"{first}-{first + 1}"


def choose(school_year: str, *, configured: str | None = None,
           configured_commencement: datetime.date | None = None,
           layer: str | None = None, layer_commencement: datetime.date | None = None
           ) -> Regime:
    """The regime of a school's document: sopc.toml's setting, else the SWV layer's,
    else the one its school year falls under."""
    if configured is not None:
        return Regime(configured, "sopc.toml")
    if layer is not None:
        return Regime(layer, "de SWV-laag")
    commencement = configured_commencement or layer_commencement or DEFAULT_COMMENCEMENT
    name = SCHOOLGIDS_2025 if school_year_start(school_year) >= commencement else SOP_2014
    return Regime(name, "het schooljaar")


@dataclass(frozen=True, slots=True)
class RegimeSetting:
    """sopc.toml's choice (`regime`, `schoolgids_vanaf`); the SWV layer's counts where
    it is silent."""

    name: str | None = None
    commencement: datetime.date | None = None

    def of(self, school_year: str, layer: SwvLayer) -> Regime:
        from sopc.dates import parse_sop_date

        return choose(school_year, configured=self.name,
                      configured_commencement=self.commencement, layer=layer.regime,
                      layer_commencement=parse_sop_date(layer.schoolgids_from)
                      if layer.schoolgids_from else None)


BY_SCHOOL_YEAR = RegimeSetting()  # no setting in sopc.toml
