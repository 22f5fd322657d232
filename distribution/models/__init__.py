from .mailings import Delivery, Mailing
from .subscribers import Consent, MailingList, Subscriber

__all__ = ["Consent", "Delivery", "Mailing", "MailingList", "Subscriber"]
