"""Quién abre cada documento y cada remisión: quien ve el caso, la coordinación para las
remisiones; el ajeno nada."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from plantillas import selectors
from plantillas.models import Documento, TipoDocumento
from plantillas.services import solicitar_documento

pytestmark = pytest.mark.django_db


def test_el_documento_lo_abre_el_personal_y_no_el_ajeno(nuevo_caso, coordinadora, ajeno):
    acuse = Documento.objects.get(caso=nuevo_caso().caso)
    assert selectors.documento_para_personal(usuario=coordinadora, pk=acuse.pk) == acuse
    with pytest.raises(PermissionDenied):
        selectors.documento_para_personal(usuario=ajeno, pk=acuse.pk)
    with pytest.raises(Http404):
        selectors.documento_para_personal(usuario=coordinadora, pk=acuse.pk + 1000)


def test_sube_el_firmado_quien_lleva_el_caso_no_otro_mediador(
    nuevo_caso, coordinadora, mediador, otro_mediador
):
    caso = nuevo_caso().caso
    caso.responsable = mediador
    caso.save(update_fields=["responsable"])
    acuse = Documento.objects.get(caso=caso)
    assert selectors.puede_modificar(usuario=mediador, documento=acuse)
    assert selectors.puede_modificar(usuario=coordinadora, documento=acuse)
    assert not selectors.puede_modificar(usuario=otro_mediador, documento=acuse)


def test_las_remisiones_son_solo_de_quien_remite(coordinadora, mediador, ajeno):
    assert list(selectors.remisiones_recientes(usuario=coordinadora)) == []
    for usuario in (mediador, ajeno):
        with pytest.raises(PermissionDenied):
            selectors.remisiones_recientes(usuario=usuario)


def test_el_ultimo_acuse_es_la_version_mas_reciente(nuevo_caso, operadora):
    caso = nuevo_caso().caso
    segunda = solicitar_documento(caso=caso, tipo=TipoDocumento.ACUSE, actor=operadora)
    assert selectors.ultimo_acuse(caso=caso) == segunda and segunda.version == 2
    assert selectors.ultima_version(caso=caso, tipo=TipoDocumento.ACUSE) == segunda
    assert selectors.ultima_version(caso=caso, tipo=TipoDocumento.CONVENIO) is None
    assert [d.version for d in selectors.documentos_de_caso(caso=caso)] == [2, 1]
