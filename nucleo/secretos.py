"""Lo que el reporte de errores de Django (la página de DEBUG y el correo a ADMINS) nunca
muestra: ajustes y variables de entorno con secretos, y contraseñas dentro de una URL.

La demo corre con DEBUG=True por omisión, y el servidor de desarrollo pasa todo el entorno
del proceso a `request.META`: ahí viajan también `DATABASE_URL` o `CELERY_BROKER_URL`.
"""

import re

from django.views.debug import SafeExceptionReporterFilter

# Lo que Django ya oculta (API, AUTH, TOKEN, KEY, SECRET, PASS, SIGNATURE, HTTP_COOKIE) y los
# nombres propios: la clave de los códigos de consulta y las conexiones a la base, al broker
# y a los resultados de Celery.
OCULTOS = re.compile(
    r"API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE"
    r"|CLAVE|CONTRASENA|CREDENCIAL|DATABASE_URL|BROKER|RESULT_BACKEND|REDIS_URL|DSN",
    flags=re.IGNORECASE,
)
# «esquema://usuario:contraseña@servidor»: la contraseña, también con «@» dentro.
_CONTRASENA_EN_URL = re.compile(r"(?P<antes>[a-z][a-z0-9+.-]*://[^/@:\s]*:)[^/\s]+@", re.I)


class FiltroDeSecretos(SafeExceptionReporterFilter):
    """`DEFAULT_EXCEPTION_REPORTER_FILTER`: oculta por nombre los ajustes y variables de
    `OCULTOS` y, en cualquier otro texto (p. ej. una URL de caché), la contraseña de una URL."""

    hidden_settings = OCULTOS

    def cleanse_setting(self, key, value):
        limpio = super().cleanse_setting(key, value)
        if isinstance(limpio, str):
            # str(): algunos ajustes de terceros son objetos perezosos que se hacen pasar por
            # texto (p. ej. AXES_USERNAME_FORM_FIELD) y re.sub no los acepta.
            texto = str(limpio)
            return _CONTRASENA_EN_URL.sub(rf"\g<antes>{self.cleansed_substitute}@", texto)
        return limpio
