from django.urls import reverse_lazy


def accounts(request):
    """The address of the two-factor page, for the admin's top bar (a template of every app's admin)."""
    return {"two_factor_url": reverse_lazy("accounts:setup")}
