# One module per area of the campaign app, each owned by its feature.
from .group import Campaign, GroupMember, Phase  # noqa: F401
from .reminders import *  # noqa: F401,F403
from .reports import *  # noqa: F401,F403
