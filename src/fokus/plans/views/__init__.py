"""Pages of the planners."""

from fokus.plans.views.funnel import (
    funnel_delete,
    funnel_detail,
    funnel_kpis,
    funnel_new,
    funnel_preview,
    funnel_replan,
    funnel_what_if,
    index,
)
from fokus.plans.views.multi import plan_delete, plan_detail, plan_link, plan_new, plan_unlink
from fokus.plans.views.revenue import revenue
from fokus.plans.views.review import review, review_create, review_moved, review_pdf

__all__ = [
    "funnel_delete",
    "funnel_detail",
    "funnel_kpis",
    "funnel_new",
    "funnel_preview",
    "funnel_replan",
    "funnel_what_if",
    "index",
    "plan_delete",
    "plan_detail",
    "plan_link",
    "plan_new",
    "plan_unlink",
    "revenue",
    "review",
    "review_create",
    "review_moved",
    "review_pdf",
]
