"""A realistic day (or more) of a national operator's calls, with planted scam campaigns.

The simulator writes canonical call records (`CALL_SCHEMA`), a ground-truth file
(`TRUTH_SCHEMA`: which planted campaign each planted call belongs to) and a description of the
campaigns, so that detectors can be measured (precision and recall per campaign kind) on data
whose answer is known. Baseline traffic deliberately contains look-alikes of every campaign.

    >>> from ringfence.simulate import SimulationConfig
    >>> SimulationConfig().calls
    2000000

Public API: `SimulationConfig`, `simulate`, `SimulationResult`, `Campaign`, `CAMPAIGN_KINDS`.
"""

from ringfence.simulate.batch import CAMPAIGN_KINDS
from ringfence.simulate.campaign import Campaign
from ringfence.simulate.config import SimulationConfig
from ringfence.simulate.overrides import ConfigError
from ringfence.simulate.run import SimulationResult, simulate

__all__ = [
    "CAMPAIGN_KINDS",
    "Campaign",
    "ConfigError",
    "SimulationConfig",
    "SimulationResult",
    "simulate",
]
