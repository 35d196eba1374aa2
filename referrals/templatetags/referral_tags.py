"""The referral panel that case and arrival pages show: the referrals about this case or person that the
officer's agency may see, and a link to send one. A template library, so that the cases app imports
nothing from this one."""

from django import template

from referrals.selectors import referrals_visible_to

register = template.Library()


@register.inclusion_tag("referrals/panel.html", takes_context=True)
def referral_panel(context, case=None, person=None):
    user = context["request"].user
    referrals = referrals_visible_to(user).select_related("from_agency", "to_agency").order_by("-sent_at")
    referrals = referrals.filter(case=case) if case is not None else referrals.filter(person=person)
    return {"referrals": list(referrals), "case": case, "person": person, "may_send": user.is_officer}
