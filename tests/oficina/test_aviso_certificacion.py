"""El aviso en pantalla de una certificación vencida o que vence dentro de 30 días: la
persona facilitadora ve la suya en su bandeja; la coordinación, todas, también en /oficina/."""

from datetime import date

import pytest
from django.urls import reverse

from casos.models import PerfilMediador

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reloj")]  # hoy: 24/11/2026


def _certificar(usuario, hasta, numero):
    return PerfilMediador.objects.create(
        usuario=usuario, numero_certificacion=numero, certificado_hasta=hasta
    )


def test_la_facilitadora_ve_en_su_bandeja_que_la_suya_vence(cliente_de, mediador, otro_mediador):
    _certificar(mediador, date(2026, 12, 10), "IJA-1")
    _certificar(otro_mediador, date(2026, 11, 30), "IJA-2")
    html = cliente_de(mediador).get(reverse("flujos:bandeja")).content.decode()
    assert "Su certificación de facilitador(a) (núm. IJA-1) vence el 10/12/2026" in html
    assert "faltan 16 días" in html
    assert "IJA-2" not in html  # la de otra persona no es asunto suyo
    assert "/oficina/" not in html


def test_la_vencida_se_anuncia_como_vencida(cliente_de, mediador):
    _certificar(mediador, date(2026, 11, 20), "IJA-1")
    html = cliente_de(mediador).get(reverse("flujos:bandeja")).content.decode()
    assert "(núm. IJA-1) venció el 20/11/2026: no puede recibir casos" in html


def test_lejana_no_se_anuncia(cliente_de, mediador, coordinadora):
    _certificar(mediador, date(2026, 12, 25), "IJA-1")  # faltan 31 días
    for usuario in (mediador, coordinadora):
        html = cliente_de(usuario).get(reverse("flujos:bandeja")).content.decode()
        assert "IJA-1" not in html


def test_la_coordinacion_ve_todas_con_el_enlace_en_sus_paginas_y_en_oficina(
    cliente_de, coordinadora, mediador, otro_mediador
):
    perfil = _certificar(mediador, date(2026, 12, 10), "IJA-1")
    _certificar(otro_mediador, date(2026, 11, 1), "IJA-2")
    cliente = cliente_de(coordinadora)
    enlace = reverse("oficina:casos_perfilmediador_change", args=[perfil.pk])
    for url in (reverse("flujos:bandeja"), reverse("flujos:plazos"), reverse("oficina:index")):
        html = cliente.get(url).content.decode()
        assert "La certificación de Mediador (núm. IJA-1) vence el 10/12/2026" in html, url
        assert "La certificación de Mediadora2 (núm. IJA-2) venció el 01/11/2026" in html, url
        assert f'href="{enlace}"' in html, url


def test_quien_no_es_facilitador_ni_coordina_no_lo_ve(cliente_de, mediador, operadora, ajeno):
    _certificar(mediador, date(2026, 12, 10), "IJA-1")
    for usuario in (operadora, ajeno):
        html = cliente_de(usuario).get(reverse("portal:inicio")).content.decode()
        assert "IJA-1" not in html
