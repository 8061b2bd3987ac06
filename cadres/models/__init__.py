"""The cadres app's models, one module per area: the organisation and work history, post
integrity risks and their review, rotation, talks."""

from .organisation import STROKE_COLLATION, Cadre, Department, Post, PostHolding, Relation, full_years
from .risks import PostReview, PostRisk, RiskReview
from .rotation import FRONTLINE_KINDS, MOVE_KINDS, Deferral, Placement, RotationItem, RotationPlan
from .talks import Talk

__all__ = [
    "FRONTLINE_KINDS",
    "MOVE_KINDS",
    "STROKE_COLLATION",
    "Cadre",
    "Deferral",
    "Department",
    "Placement",
    "Post",
    "PostHolding",
    "PostReview",
    "PostRisk",
    "Relation",
    "RiskReview",
    "RotationItem",
    "RotationPlan",
    "Talk",
    "full_years",
]
