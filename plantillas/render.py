"""Render de documentos con WeasyPrint.

Seguridad: el `url_fetcher` solo entrega archivos estáticos del propio proyecto pedidos como
`recurso:ruta/en/static` (hojas de estilo, logotipo) y URIs `data:` que genera el servidor
(código QR). Cualquier otra URL —`file://`, `http://`, rutas relativas— se rechaza: ni datos
del usuario ni una plantilla pueden hacer que el servidor lea sus archivos o haga peticiones.
Los datos del usuario llegan escapados por el motor de plantillas de Django.

Memoria: cada proceso que renderiza (el hijo del worker de la cola `pdf`) crea al primer
render una sola `FontConfiguration` y analiza una sola vez la hoja de estilo, y las reusa en
todos los documentos. Una `FontConfiguration` por render dejaba ~0.25 MB por documento que el
proceso nunca devolvía.
"""

import functools
import hashlib
import os
import threading
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

ESQUEMA = "recurso:"
# La hoja de todos los documentos: la aplica `renderizar` (no un <link> en la plantilla) para
# analizarla una vez por proceso y no en cada render.
HOJA_DE_ESTILO = "plantillas/documento.css"


class RecursoNoPermitido(ValueError):
    pass


def _fetcher_seguro():
    # Una instancia por render (el URLFetcher de WeasyPrint guarda estado entre llamadas); la
    # clase, una por proceso.
    return _clase_fetcher()(allowed_protocols=("recurso", "data"))


@functools.cache
def _clase_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FetcherSeguro(URLFetcher):
        """Solo `recurso:` (estáticos propios) y `data:`; todo lo demás se rechaza."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(ESQUEMA):
                ruta = url[len(ESQUEMA) :].lstrip("/")
                encontrado = None if ".." in ruta.split("/") else finders.find(ruta)
                if not encontrado:
                    raise RecursoNoPermitido(url)
                with open(encontrado, "rb") as archivo:
                    contenido = archivo.read()
                tipo = "text/css" if ruta.endswith(".css") else "application/octet-stream"
                return URLFetcherResponse(url, contenido, {"Content-Type": tipo})
            raise RecursoNoPermitido(url)

    return FetcherSeguro


@dataclass(frozen=True)
class PDF:
    contenido: bytes
    paginas: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.contenido).hexdigest()


_por_proceso = threading.local()


def _del_proceso():
    """Fuentes y hoja de estilo de este proceso, creadas al primer uso.

    Al primer uso y no al importar: en el worker eso ocurre en el hijo, después del fork, y
    el padre nunca las crea. Si un proceso llega a heredarlas (se bifurcó después de
    renderizar), el PID ya no coincide y crea las suyas; las heredadas se conservan sin usar,
    porque al liberarlas WeasyPrint borraría la carpeta de fuentes que el padre sigue usando.
    Son por hilo además de por proceso: un mapa de fuentes de Pango no se usa desde dos
    hilos a la vez. Un cambio en la hoja de estilo se ve al reiniciar el worker."""
    if getattr(_por_proceso, "pid", None) != os.getpid():
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        if hasattr(_por_proceso, "fuentes"):
            _por_proceso.__dict__.setdefault("heredadas", []).append(_por_proceso.fuentes)
        fuentes = FontConfiguration()
        _por_proceso.hoja = CSS(
            url=ESQUEMA + HOJA_DE_ESTILO, url_fetcher=_fetcher_seguro(), font_config=fuentes
        )
        _por_proceso.fuentes = fuentes
        _por_proceso.pid = os.getpid()
    return _por_proceso


def configuracion_fuentes():
    """La `FontConfiguration` con la que este proceso renderiza todos sus documentos."""
    return _del_proceso().fuentes


def maquetar(html: str):
    """El documento de WeasyPrint ya maquetado, con las fuentes y la hoja de este proceso."""
    from weasyprint import HTML

    recursos = _del_proceso()
    return HTML(string=html, base_url=ESQUEMA, url_fetcher=_fetcher_seguro()).render(
        font_config=recursos.fuentes, stylesheets=[recursos.hoja]
    )


def renderizar(plantilla: str, contexto: dict) -> PDF:
    documento = maquetar(render_to_string(plantilla, contexto))
    return PDF(contenido=documento.write_pdf(), paginas=len(documento.pages))
