"""The documents panel that case, arrival and referral pages show: the record's current papers for those
who see them, the counts by kind for the chair on a case. A template library, so that the apps below
import nothing from this one."""

from django import template

from documents.selectors import current, document_counts, documents_of, may_see_documents_of, owner_type_of
from documents.views import owner_url

register = template.Library()


@register.inclusion_tag("documents/panel.html", takes_context=True)
def document_panel(context, case=None, person=None, referral=None):
    user = context["request"].user
    owner = case or person or referral
    shown = may_see_documents_of(user, owner)
    return {
        "owner": owner,
        "owner_type": owner_type_of(owner),
        "owner_url": owner_url(owner),
        "shown": shown,
        "documents": list(current(documents_of(owner))) if shown else [],
        # The chair reads a case (masked), so she sees how many papers it holds; no one else sees the
        # panel of a record whose documents are not theirs.
        "for_chair": case is not None and not shown,
        "counts": document_counts(owner) if case is not None and not shown else [],
        "next": context["request"].path,
    }
