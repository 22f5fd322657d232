"""Staff accounts for the tests of logins: a spokesperson (must use two-factor) and an editor (may)."""

from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "geheim-123"


def make_staff(username, group):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def current_code(device):
    """What the phone's app shows now for ``device`` (the RFC 6238 code of its secret)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def app_device(user):
    return TOTPDevice.objects.get(user=user)
