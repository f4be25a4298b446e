from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class PeopleConfig(registry.CpisAppConfig):
    verbose_name = _("People")
    urls = (("staff/people/", "cpis.people.urls"),)
    api = ("/people", "cpis.people.api.router")
    demo = "cpis.people.demo"
    # The backgrounds are drawn for the officers the organisation demo made.
    demo_order = 1
