"""The Impressum and the Datenschutzerklärung as public pages. Until the office has written one, its address
answers 404 with the site's own page (never an empty page that looks like a legal text)."""

from django.http import Http404
from django.views.generic import DetailView

from .models import LegalPage


class LegalPageView(DetailView):
    kind = ""
    context_object_name = "page"
    template_name = "cityhall/legalpage_detail.html"

    def get_object(self, queryset=None):
        page = LegalPage.objects.filter(kind=self.kind).first()
        if page is None:
            raise Http404("Diese Seite ist noch nicht veröffentlicht.")
        return page

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=self.object.title, **kwargs)
