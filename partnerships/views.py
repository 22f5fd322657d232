from django.views.generic import DetailView, ListView

from .models import Partnership


class PartnershipListView(ListView):
    queryset = Partnership.objects.public()
    context_object_name = "partnerships"


class PartnershipDetailView(DetailView):
    queryset = Partnership.objects.public()
    context_object_name = "partnership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = self.object.projects.prefetch_related("themes")
        # The release QuerySet's own publishing rule, reached through the M2M; partnerships never imports press.
        context["releases"] = self.object.press_releases.published().for_listing()
        return context
