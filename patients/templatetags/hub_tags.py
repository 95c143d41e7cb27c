"""`{% hub_section section %}`: one registered patient-hub section, rendered in the page's context."""

from django import template
from django.utils.safestring import SafeString

from patients.identity.hub import ShownSection

register = template.Library()


@register.simple_tag(takes_context=True)
def hub_section(context: template.Context, section: ShownSection) -> SafeString:
    # As {% include %} does: the page's context (user, roles, csrf) plus the section's own variables.
    section_template = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return section_template.render(context)
