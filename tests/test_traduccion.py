"""La interfaz de viewflow que ve el personal, en español; el catálogo compilado, al día."""

import gettext
import glob
import re
from pathlib import Path

import viewflow
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
