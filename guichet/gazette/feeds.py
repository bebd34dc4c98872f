"""Atom feeds of newly published texts: all, by type, by authority."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from guichet import exports
from guichet.gazette import numbering, selectors


class TextsFeed(Feed):
    """Atom 1.0 (RFC 4287): the feed and each entry carry an absolute `id`, an `updated` date and
    an `author` (§ 4.1.1, § 4.1.2); ids are the texts' absolute FRBR URIs, stable forever."""

    feed_type = Atom1Feed
    author_name = "Secrétariat général du Gouvernement (SGG)"

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for item in feed.items:
            # RFC 4287 § 4.2.6: atom:id is an IRI, absolute (RFC 3987); § 4.1.2: every entry
            # has atom:updated (a published text never changes: its publication time).
            item["unique_id"] = request.build_absolute_uri(item["unique_id"])
            item["updateddate"] = item["updateddate"] or item["pubdate"]
        return feed

    def get_object(self, request, doctype: str = "", authority: str = ""):
        if doctype and doctype not in numbering.DOCTYPE_LABELS:
            raise Http404
        return {"doctype": doctype, "authority": authority.upper()}

    def title(self, obj):
        title = _("Journal officiel du Niger — nouveaux textes")
        if obj["doctype"]:
            title += f" ({numbering.DOCTYPE_LABELS[obj['doctype']]})"
        if obj["authority"]:
            title += f" ({obj['authority']})"
        return exports.xml_text(title)

    def link(self, obj):
        return reverse("gazette:home")

    def subtitle(self, obj):
        return _("Textes publiés au Journal officiel de la République du Niger.")

    def items(self, obj):
        return selectors.recent_texts(50, obj["doctype"], obj["authority"])

    def item_title(self, item):
        return exports.xml_text(item.label)

    def item_description(self, item):
        return exports.xml_text(item.title)

    def item_link(self, item):
        return item.frbr_uri

    def item_guid(self, item):
        return item.frbr_uri

    def item_pubdate(self, item):
        import datetime

        from django.utils import timezone

        return timezone.make_aware(
            datetime.datetime.combine(item.published_on, datetime.time(8, 0))
        )

    def item_author_name(self, item):
        return item.authority.name if item.authority else self.author_name

    def item_categories(self, item):
        return [item.get_doctype_display()] + ([item.authority.code] if item.authority else [])
