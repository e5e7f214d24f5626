"""Render de documentos con WeasyPrint.

Seguridad: el `url_fetcher` solo entrega archivos estáticos del propio proyecto pedidos como
`recurso:ruta/en/static` (hojas de estilo, logotipo) y URIs `data:` que genera el servidor
(código QR). Cualquier otra URL —`file://`, `http://`, rutas relativas— se rechaza: ni datos
del usuario ni una plantilla pueden hacer que el servidor lea sus archivos o haga peticiones.
Los datos del usuario llegan escapados por el motor de plantillas de Django.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

ESQUEMA = "recurso:"


class RecursoNoPermitido(ValueError):
    pass


def _fetcher_seguro():
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

    return FetcherSeguro(allowed_protocols=("recurso", "data"))


@dataclass(frozen=True)
class PDF:
    contenido: bytes
    paginas: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.contenido).hexdigest()


def renderizar(plantilla: str, contexto: dict) -> PDF:
    from weasyprint import HTML

    html = render_to_string(plantilla, contexto)
    documento = HTML(string=html, base_url=ESQUEMA, url_fetcher=_fetcher_seguro()).render()
    return PDF(contenido=documento.write_pdf(), paginas=len(documento.pages))
