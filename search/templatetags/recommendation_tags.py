"""Template tags for the learner's recommendations ("Disarankan untuk Anda")."""

from django import template

from search.recommendations import DEFAULT_LIMIT, Recommendation, recommendations_for

register = template.Library()


@register.simple_tag(takes_context=True)
def recommendations_for_user(context, limit: int = DEFAULT_LIMIT) -> list[Recommendation]:
    """`{% recommendations_for_user as recommendations %}`: the signed-in learner's
    recommendations (none for visitors or without a request in the context)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return recommendations_for(user, limit=limit)
