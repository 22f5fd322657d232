from django.views.generic import DetailView

from .models import Partnership


class PartnershipDetailView(DetailView):
    queryset = Partnership.objects.public()
