"""El formulario ciudadano en blanco, ya dibujado, en la memoria de cada proceso.

Es la página que abre el código QR de un volante: miles de visitas iguales en un pico. Se
dibuja una vez por idioma y se guarda sin su token CSRF; cada visita recibe la misma página
con un token propio. Se olvida al guardar o borrar, en este proceso, un catálogo, el aviso
de privacidad o los datos de la oficina, y a más tardar en `memoria.SEGUNDOS` si lo cambió
otro proceso. La validación del envío lee siempre la base: una opción que se quitó en esos
segundos recibe el error de siempre y no se pierde lo escrito.

Solo para quien llega sin sesión: con sesión (quien acaba de enviar una solicitud, o el
personal) o con un mensaje pendiente, la página se dibuja para esa petición.
"""

import re

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from nucleo.memoria import DelProceso

# En lugar del token, mientras la página está guardada (no puede aparecer en el HTML: lleva
# caracteres que el escape de las plantillas no deja pasar).
_HUECO = "<\x00token\x00>"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')

paginas: DelProceso[tuple[bytes, bytes, dict[str, str]] | None] = DelProceso(lambda _idioma: None)


def sin_sesion(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def responder(request, dibujar) -> HttpResponse:
    """La página guardada con un token para esta petición; si no hay, `dibujar()` la dibuja
    y se guarda."""
    idioma = get_language()
    guardada = paginas.buscar(idioma)
    if guardada is not None:
        antes, despues, encabezados = guardada
        return HttpResponse(antes + get_token(request).encode() + despues, headers=encabezados)
    respuesta = dibujar()
    html = respuesta.content.decode(respuesta.charset)
    tokens = set(_TOKEN.findall(html))
    if respuesta.status_code == 200 and len(tokens) == 1 and html.count(tokens.pop()) == 1:
        antes, despues = _TOKEN.sub(f'name="csrfmiddlewaretoken" value="{_HUECO}"', html).split(
            _HUECO
        )
        encabezados = {"Content-Type": respuesta["Content-Type"]}
        paginas.guardar(idioma, (antes.encode(), despues.encode(), encabezados))
    return respuesta


def olvidar(**_senal) -> None:
    paginas.olvidar()
