from django.views.generic import DetailView

from .models import PressRelease


class ReleaseDetailView(DetailView):
    queryset = PressRelease.objects.published()
