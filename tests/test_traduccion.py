"""La interfaz de viewflow que ve el personal, en español; el catálogo compilado, al día; los
textos fijos traducidos una vez por idioma."""

import gettext
import glob
import re
from pathlib import Path

import viewflow
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from nucleo.traduccion import etiqueta, etiquetas, traducidos

RAIZ = Path(__file__).resolve().parent.parent
VIEWFLOW = Path(viewflow.__file__).parent / "workflow"


def _cadenas_de_viewflow():
    simples, con_contexto = set(), set()
    for archivo in glob.glob(str(VIEWFLOW / "**" / "*.py"), recursive=True):
        if "/migrations/" in archivo:
            continue
        texto = Path(archivo).read_text(encoding="utf-8")
        for m in re.finditer(
            r'(?<![\w.])(?:_|gettext_lazy|gettext)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]', texto
        ):
            simples.add(m.group(1))
        for m in re.finditer(r'pgettext(?:_lazy)?\(\s*"([^"]+)"\s*,\s*"([^"]+)"', texto):
            con_contexto.add((m.group(1), m.group(2)))
    return simples, con_contexto


def test_ninguna_cadena_de_viewflow_queda_en_ingles():
    simples, con_contexto = _cadenas_de_viewflow()
    assert len(simples) > 20  # el análisis sí encontró las cadenas
    with translation.override("es-mx"):
        sin_traducir = [s for s in simples if _(s) == s]
        sin_traducir += [c for c in con_contexto if pgettext(*c) == c[1]]
    assert not sin_traducir, sin_traducir


def test_el_catalogo_compilado_corresponde_al_fuente():
    carpeta = RAIZ / "locale" / "es" / "LC_MESSAGES"
    with open(carpeta / "django.mo", "rb") as archivo:
        compilado = gettext.GNUTranslations(archivo)
    fuente = (carpeta / "django.po").read_text(encoding="utf-8")
    pares = re.findall(r'(?:msgctxt "([^"]*)"\n)?msgid "(.+)"\nmsgstr "(.*)"', fuente)
    assert pares
    for contexto, msgid, msgstr in pares:
        msgid = msgid.replace('\\"', '"')
        traducido = compilado.pgettext(contexto, msgid) if contexto else compilado.gettext(msgid)
        assert traducido == msgstr.replace('\\"', '"'), msgid


def test_las_paginas_de_error_son_las_nuestras_en_espanol(client, ajeno, settings):
    settings.DEBUG = False
    client.force_login(ajeno)
    prohibida = client.get("/casos/")
    assert prohibida.status_code == 403
    assert "No tiene permiso para ver esta página" in prohibida.content.decode()
    no_existe = client.get("/no-existe/")
    assert no_existe.status_code == 404
    assert "No encontramos esta página" in no_existe.content.decode()
    assert "viewflow" not in (prohibida.content + no_existe.content).decode().lower()


# --- Textos fijos traducidos una vez por idioma (nucleo.traduccion) ---------------------


class _Respuesta(models.TextChoices):
    # Textos del catálogo de Django: tienen traducción al español y se quedan igual en inglés.
    SI = "si", gettext_lazy("Yes")
    NO = "no", gettext_lazy("No")


_TABLA = {"si": gettext_lazy("Yes"), "cerrar": gettext_lazy("Close")}


def test_etiquetas_y_tablas_se_traducen_al_idioma_activo_de_cada_momento():
    with translation.override("es-mx"):
        assert etiquetas(_Respuesta) == {"si": "Sí", "no": "No"}
        assert traducidos(_TABLA) == {"si": "Sí", "cerrar": "Cerrar"}
    with translation.override("en"):
        # Lo guardado para un idioma no se sirve en otro.
        assert etiqueta(_Respuesta, "si") == "Yes"
        assert traducidos(_TABLA)["cerrar"] == "Close"
    with translation.override("es-mx"):
        assert etiqueta(_Respuesta, "si") == "Sí"
        assert all(type(t) is str for t in traducidos(_TABLA).values())


def test_un_valor_que_ya_no_es_opcion_se_muestra_tal_cual():
    # Un dato guardado antes de quitar la opción no rompe la página.
    assert etiqueta(_Respuesta, "quiza") == "quiza"


def test_dos_tablas_iguales_no_se_confunden():
    otra = {"si": gettext_lazy("No")}
    with translation.override("es-mx"):
        assert traducidos(_TABLA)["si"] == "Sí"
        assert traducidos(otra)["si"] == "No"
