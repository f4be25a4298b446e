"""Tags for the pages' shared pieces: templates/base.html, templates/page.html and
templates/components/."""

from django import template
from django.template.base import Parser, Token
from django.utils.safestring import SafeString

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> SafeString:
        output = self.nodelist.render(context)
        context[self.name] = output
        return output


@register.tag
def capture(parser: Parser, token: Token) -> CaptureNode:
    """`{% capture name %}…{% endcapture %}` draws what it holds where it stands and
    keeps it as `name` for the rest of the page: base.html keeps the title block as
    `page_title`, which page.html shows as the heading unless the page says otherwise."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes the name to keep the output as")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.simple_tag(takes_context=True)
def page_partial(context: template.Context, name: str) -> str:
    """The partial `name` of the page being drawn ("partners/group_list.html#row"),
    whether the view renders the whole page or, for htmx, one of its partials: a
    component draws a page's own pieces without the page spelling its name."""
    page = context.template
    origin = page.origin.template_name if page is not None and page.origin is not None else None
    if not isinstance(origin, str):
        raise template.TemplateSyntaxError("page_partial needs a page loaded by name")
    return f"{origin}#{name}"
