"""Encabezados de seguridad: política de contenido sin scripts en línea, HTTPS y HSTS."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from nucleo.seguridad import hashes_de_estilos

RAIZ = Path(__file__).resolve().parent.parent.parent
NONCE = 'nonce="{{ request.csp_nonce }}"'


def _politica(respuesta) -> dict[str, list[str]]:
    directivas = {}
    for parte in respuesta["Content-Security-Policy"].split(";"):
        nombre, *fuentes = parte.split()
        directivas[nombre] = fuentes
    return directivas


@pytest.mark.parametrize("url", ["/", "/solicitud/", "/consulta/", "/cuentas/entrar/"])
def test_la_politica_de_contenido_no_permite_scripts_en_linea(client, catalogos, url):
    politica = _politica(client.get(url))
    assert politica["default-src"] == ["'self'"]
    assert politica["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in politica["style-src"]
    assert politica["object-src"] == ["'none'"]
    assert politica["frame-ancestors"] == ["'none'"]
    assert politica["form-action"] == ["'self'"]


def test_las_paginas_del_personal_tambien_llevan_la_politica(cliente_de, coordinadora):
    respuesta = cliente_de(coordinadora).get(reverse("cuentas:accesos"))
    assert _politica(respuesta)["script-src"] == ["'self'"]


def test_swagger_ui_solo_ejecuta_su_script_de_arranque_con_el_nonce(client, catalogos):
    pagina = client.get("/api/docs/")
    politica = _politica(pagina)
    nonce = re.search(r"'nonce-([^']+)'", " ".join(politica["script-src"])).group(1)
    assert politica["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert f"'nonce-{nonce}'" in politica["style-src"]
    assert "'unsafe-inline'" not in politica["script-src"] + politica["style-src"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", pagina.content.decode(), re.S)
    en_linea = [atributos for atributos, cuerpo in scripts if "src=" not in atributos]
    assert en_linea == [f' nonce="{nonce}"']
    assert "SwaggerUIBundle" in pagina.content.decode()


def test_los_unicos_estilos_en_linea_son_los_de_las_paginas_500_y_503_y_van_en_la_politica(
    client, catalogos
):
    politica = _politica(client.get("/"))["style-src"]
    for pagina in ("500.html", "503.html"):
        esperado = hashes_de_estilos(RAIZ / "nucleo" / "templates" / pagina)
        assert len(esperado) == 1
        assert esperado[0] in politica


PAGINAS_DE_FALLA = {Path("nucleo/templates/500.html"), Path("nucleo/templates/503.html")}


def _plantillas():
    for carpeta in RAIZ.iterdir():
        if (carpeta / "__init__.py").exists() or carpeta.name == "nucleo":
            yield from (carpeta.rglob("templates/**/*.html"))


def test_ninguna_pagina_trae_scripts_manejadores_ni_estilos_en_linea():
    problemas = []
    for plantilla in _plantillas():
        html = plantilla.read_text(encoding="utf-8")
        relativa = plantilla.relative_to(RAIZ)
        # En línea solo lo que lleva el nonce de la respuesta (Swagger UI) o, el <style> de las
        # páginas 500 y 503, su hash en la política.
        for etiqueta in re.findall(r"<script\b[^>]*>", html):
            if "src=" not in etiqueta and NONCE not in etiqueta:
                problemas.append(f"{relativa}: {etiqueta}")
        for etiqueta in re.findall(r"<style\b[^>]*>", html):
            if NONCE not in etiqueta and relativa not in PAGINAS_DE_FALLA:
                problemas.append(f"{relativa}: {etiqueta}")
        problemas += [f"{relativa}: {m}" for m in re.findall(r"\son[a-z]+\s*=", html)]
        problemas += [f"{relativa}: style=" for _ in re.findall(r"\sstyle\s*=", html)]
    assert not problemas, problemas


def test_con_https_obligatorio_redirige_y_manda_hsts(client, catalogos, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    directa = client.get("/consulta/")
    assert directa.status_code == 301
    assert directa["Location"] == "https://testserver/consulta/"
    por_el_proxy = client.get("/consulta/", HTTP_X_FORWARDED_PROTO="https")
    assert por_el_proxy.status_code == 200
    assert por_el_proxy["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
