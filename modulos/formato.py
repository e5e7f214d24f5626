"""El formato en papel del módulo y la versión de los archivos que guarda el equipo.

El PDF en blanco depende solo del centro, los catálogos y el aviso vigente: se genera en el
worker (cola `pdf`) una vez por versión, con el hash de su HTML en el nombre del archivo, y
después se entrega tal cual. Dos pedidos a la vez escriben el mismo contenido al mismo
nombre (se escribe aparte y se renombra): nunca queda un archivo a medias.
"""

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from casos.models import AvisoPrivacidad, AvisosPor, Categoria, Centro, Localidad, TipoCaso
from nucleo.colas import encolar

CARPETA = "modulos"
ARCHIVOS_DEL_EQUIPO = ("modulos/campo.js", "modulos/campo.css", "css/app.css")
RENGLONES_DEL_RELATO = 7


def _html() -> str:
    from plantillas.contextos import logo_del_centro

    centro = Centro.actual()
    return render_to_string(
        "modulos/formato.html",
        {
            "centro": centro,
            "logo": logo_del_centro(centro),
            "avisos_por": AvisosPor.choices,
            "aviso": AvisoPrivacidad.vigente(),
            "categorias_med": Categoria.objects.activos().filter(tipo__in=["", TipoCaso.MEDIACION]),
            "categorias_ase": Categoria.objects.activos().filter(tipo__in=["", TipoCaso.ASESORIA]),
            "localidades": Localidad.objects.activos(),
            "renglones": range(RENGLONES_DEL_RELATO),
        },
    )


def _ruta(html: str) -> Path:
    huella = hashlib.sha256(html.encode()).hexdigest()[:20]
    return Path(settings.MEDIA_ROOT) / CARPETA / f"formato-{huella}.pdf"


def archivo_listo() -> Path | None:
    ruta = _ruta(_html())
    return ruta if ruta.exists() else None


def pedir() -> bool:
    """Encola la generación (si el broker no responde, el siguiente pedido lo reintenta)."""
    from .tasks import generar_formato

    return encolar(generar_formato)


def generar() -> Path:
    """Genera el PDF de la versión vigente si aún no existe (en el worker)."""
    from plantillas.render import maquetar

    html = _html()
    ruta = _ruta(html)
    if ruta.exists():
        return ruta
    ruta.parent.mkdir(parents=True, exist_ok=True)
    contenido = maquetar(html).write_pdf()
    descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, suffix=".pdf.parcial")
    with os.fdopen(descriptor, "wb") as archivo:
        archivo.write(contenido)
    os.replace(temporal, ruta)
    return ruta


@functools.cache
def version_de_archivos() -> str:
    """Huella de la página y sus archivos: cambia el caché del service worker al cambiar."""
    huella = hashlib.sha256()
    for nombre in ARCHIVOS_DEL_EQUIPO:
        encontrado = finders.find(nombre)
        if encontrado:
            huella.update(Path(encontrado).read_bytes())
    for plantilla in ("pagina.html", "sw.js"):
        huella.update((Path(__file__).parent / "templates" / "modulos" / plantilla).read_bytes())
    return huella.hexdigest()[:12]
