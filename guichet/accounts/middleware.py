from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PreferredLanguageMiddleware(LocaleMiddleware):
    """French first: the language is the one chosen with the switch (cookie), else the signed-in
    person's preferred language, else French — never guessed from the browser, since most phones
    in Niger are set to a language that is not the one their owner reads best.

    A signed-in person's choice is remembered on their account, so that their SMS and emails
    follow it.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if chosen in supported:
            language = chosen
            if signed_in and user.preferred_language != chosen:
                user.preferred_language = chosen
                user.save(update_fields=["preferred_language"])
        elif signed_in and user.preferred_language in supported:
            language = user.preferred_language
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
