from django.conf import settings


def city(request):
    return {
        "CITY_NAME": settings.CITY_NAME,
        "PRESS_OFFICE_NAME": settings.PRESS_OFFICE_NAME,
        "CITY_COAT_OF_ARMS": settings.CITY_COAT_OF_ARMS,
        "CITY_TIME_ZONE_NAME": getattr(settings, "CITY_TIME_ZONE_NAME", "")
        or f"Zeitzone {settings.TIME_ZONE}",
    }
