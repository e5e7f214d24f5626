"""Acceso por necesidad de saber (casos.acceso): quién ve cada expediente, el acceso
excepcional y la bitácora que deja cada manera de abrir datos personales."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from casos import acceso
from casos.models import AccesoExcepcional, AccesoExpediente, Caso
from casos.services import mediacion as med
from flujos import tareas
from flujos.tareas import procesos_de
from plantillas.models import Documento
from tests.casos.etapas import admitido, con_sesion, en

pytestmark = pytest.mark.usefixtures("reloj")


def _visibles(usuario):
    return set(acceso.casos_visibles(usuario).values_list("folio", flat=True))


def test_coordinacion_y_direccion_ven_todo(nuevo_caso, coordinadora, direccion):
    caso = nuevo_caso().caso
    assert acceso.puede_ver(coordinadora, caso) and acceso.puede_ver(direccion, caso)
    assert _visibles(coordinadora) == _visibles(direccion) == {caso.folio}


def test_el_ajeno_y_el_anonimo_no_ven_nada(nuevo_caso, ajeno):
    from django.contrib.auth.models import AnonymousUser

    caso = nuevo_caso().caso
    for quien in (ajeno, AnonymousUser()):
        assert not acceso.puede_ver(quien, caso)
        assert _visibles(quien) == set()


def test_la_operadora_ve_lo_que_capturo(nuevo_caso, operadora):
    suyo = nuevo_caso(actor=operadora).caso
    otro = nuevo_caso().caso
    assert acceso.puede_ver(operadora, suyo) and not acceso.puede_ver(operadora, otro)
    assert _visibles(operadora) == {suyo.folio}


def test_el_mediador_ve_lo_que_lleva_y_lo_que_llevo(
    nuevo_caso, coordinadora, certificado, otro_certificado
):
    caso = nuevo_caso().caso
    assert not acceso.puede_ver(certificado, caso)
    admitido(caso, coordinadora, certificado)  # admite y asigna al mediador
    assert acceso.puede_ver(certificado, caso)
    med.asignar_responsable(caso=caso, actor=coordinadora, responsable=otro_certificado)
    # Lo llevó: sigue viéndolo; la nueva responsable también.
    assert acceso.puede_ver(certificado, caso) and acceso.puede_ver(otro_certificado, caso)


def test_quien_facilito_una_sesion_lo_ve(
    nuevo_caso, coordinadora, certificado, otro_certificado, sala
):
    from casos.models import Sesion

    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    Caso.objects.filter(pk=caso.pk).update(estado="invitacion")
    sesion = con_sesion(caso, certificado, sala, en(timezone.localdate() + timedelta(days=2)))
    Sesion.objects.filter(pk=sesion.pk).update(mediador=otro_certificado)
    assert acceso.puede_ver(otro_certificado, caso)


def test_quien_tiene_o_tuvo_una_tarea_lo_ve(nuevo_caso, coordinadora, direccion, asesor):
    caso = nuevo_caso().caso
    tarea = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    Task.objects.filter(pk=tarea.pk).update(owner=asesor)
    assert acceso.puede_ver(asesor, caso)
    assert _visibles(asesor) == {caso.folio}


def test_el_acceso_excepcional_es_motivado_temporal_y_queda_en_la_bitacora(
    nuevo_caso, mediador, reloj, settings
):
    settings.ACCESO_EXCEPCIONAL_HORAS = 2
    caso = nuevo_caso().caso
    with pytest.raises(ValidationError, match="al menos 10"):
        acceso.conceder_excepcional(usuario=mediador, caso=caso, motivo="porque")
    assert not acceso.puede_ver(mediador, caso)
    acceso.conceder_excepcional(usuario=mediador, caso=caso, motivo="Cubro la guardia del día.")
    assert acceso.puede_ver(mediador, caso)
    renglon = AccesoExpediente.objects.get(caso=caso, vista="acceso_excepcional")
    assert renglon.motivo == "Cubro la guardia del día."
    reloj.move_to(timezone.now() + timedelta(hours=2, minutes=1))
    assert not acceso.puede_ver(mediador, caso)


def test_el_ajeno_sin_rol_no_pide_acceso_excepcional(nuevo_caso, ajeno):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        acceso.conceder_excepcional(usuario=ajeno, caso=nuevo_caso().caso, motivo="x" * 20)


# --- Cada manera de abrir datos personales deja su renglón ---------------------------------


def _renglones(caso):
    return list(
        AccesoExpediente.objects.filter(caso=caso).order_by("id").values_list("vista", "objeto")
    )


def test_la_pagina_del_caso_deja_renglon_con_ip(cliente_de, nuevo_caso, operadora):
    caso = nuevo_caso(actor=operadora).caso
    respuesta = cliente_de(operadora).get(
        reverse("casos:detalle", args=[caso.folio]), REMOTE_ADDR="10.1.2.3"
    )
    assert respuesta.status_code == 200
    renglon = AccesoExpediente.objects.get(caso=caso)
    assert (renglon.usuario, renglon.vista, renglon.ip) == (operadora, "detalle", "10.1.2.3")


def test_la_busqueda_deja_un_renglon_por_caso_mostrado(cliente_de, nuevo_caso, coordinadora):
    uno = nuevo_caso(nombre="Rosa Pérez").caso
    dos = nuevo_caso(nombre="Rosa Gómez", telefono="+523388887777").caso
    nuevo_caso(nombre="Juan Díaz", telefono="+523377776666")
    respuesta = cliente_de(coordinadora).get(reverse("casos:buscar"), {"q": "rosa"})
    assert respuesta.status_code == 200
    assert set(AccesoExpediente.objects.values_list("caso__folio", "vista")) == {
        (uno.folio, "busqueda"),
        (dos.folio, "busqueda"),
    }


def test_la_busqueda_no_muestra_lo_ajeno_y_un_folio_ajeno_lleva_a_pedir_acceso(
    cliente_de, nuevo_caso, operadora
):
    ajeno = nuevo_caso(nombre="Rosa Pérez").caso
    cliente = cliente_de(operadora)
    assert ajeno.folio not in cliente.get(reverse("casos:buscar"), {"q": "rosa"}).text
    respuesta = cliente.get(reverse("casos:buscar"), {"q": ajeno.folio}, follow=True)
    assert respuesta.status_code == 403
    assert "Pedir acceso excepcional" in respuesta.text and "Rosa" not in respuesta.text
    assert not AccesoExpediente.objects.exists()


def test_pedir_acceso_excepcional_desde_la_pagina_y_volver_al_caso(
    cliente_de, nuevo_caso, mediador
):
    caso = nuevo_caso().caso
    cliente = cliente_de(mediador)
    url = reverse("casos:detalle", args=[caso.folio])
    assert cliente.get(url).status_code == 403
    sin_motivo = cliente.post(reverse("casos:acceso_excepcional", args=[caso.folio]), {})
    assert sin_motivo.status_code == 400 and "Escriba el motivo" in sin_motivo.text
    respuesta = cliente.post(
        reverse("casos:acceso_excepcional", args=[caso.folio]),
        {"motivo": "Atiendo hoy la llamada de la parte.", "siguiente": url},
        follow=True,
    )
    assert respuesta.redirect_chain[-1][0] == url
    assert "Pedro López" in respuesta.text and "acceso excepcional" in respuesta.text
    assert _renglones(caso) == [("acceso_excepcional", ""), ("detalle", "")]
    assert set(AccesoExpediente.objects.values_list("motivo", flat=True)) == {
        "Atiendo hoy la llamada de la parte."
    }


def test_la_tarea_deja_renglon(cliente_de, nuevo_caso, coordinadora):
    caso = nuevo_caso().caso
    tarea = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    tareas.tomar(task=tarea, usuario=coordinadora)
    respuesta = cliente_de(coordinadora).get(reverse("flujos:tarea", args=[tarea.pk]))
    assert respuesta.status_code == 200
    assert _renglones(caso) == [("tarea", f"tarea:{tarea.pk}")]


def test_la_cola_muestra_solo_lo_necesario_para_tomar(cliente_de, nuevo_caso, certificado):
    caso = nuevo_caso().caso
    tarea = Task.objects.get(process__in=procesos_de(caso), flow_task_type="HUMAN")
    # La revisión en la cola de mediación, para este ensayo.
    Task.objects.filter(pk=tarea.pk).update(owner_permission="casos.atender_mediacion")
    html = cliente_de(certificado).get(reverse("flujos:tarea", args=[tarea.pk])).text
    assert caso.folio in html and str(caso.categoria) in html
    assert "Pedro López" not in html and caso.resumen[:30] not in html
    assert not AccesoExpediente.objects.exists()


def test_las_descargas_dejan_renglon(cliente_de, nuevo_caso, operadora):
    from tests.plantillas.conftest import generado

    caso = nuevo_caso(actor=operadora).caso
    documento = generado(Documento.objects.get(caso=caso))
    cliente = cliente_de(operadora)
    assert cliente.get(reverse("plantillas:descargar", args=[documento.pk])).status_code == 200
    assert cliente.get(reverse("plantillas:firmado", args=[documento.pk])).status_code == 404
    assert _renglones(caso) == [
        ("documento", f"documento:{documento.pk}"),
        ("firmado", f"documento:{documento.pk}"),
    ]


def test_el_admin_aplica_la_politica_y_deja_renglon(client, nuevo_caso, operadora):
    suyo = nuevo_caso(actor=operadora).caso
    ajeno = nuevo_caso(telefono="+523388887777").caso
    operadora.is_staff = True
    operadora.save()
    from django.contrib.auth.models import Permission

    operadora.user_permissions.add(Permission.objects.get(codename="view_caso"))
    client.force_login(operadora)
    lista = client.get("/admin/casos/caso/")
    assert lista.status_code == 200
    assert suyo.folio in lista.text and ajeno.folio not in lista.text
    assert client.get(f"/admin/casos/caso/{ajeno.pk}/change/").status_code == 302
    assert client.get(f"/admin/casos/caso/{suyo.pk}/change/").status_code == 200
    assert _renglones(suyo) == [("admin", f"caso:{suyo.pk}")]
    assert _renglones(ajeno) == []


def test_con_debug_ningun_archivo_se_sirve_por_ruta_estatica(
    client, cliente_de, nuevo_caso, coordinadora, certificado, settings
):
    from tests.plantillas.conftest import generado

    settings.DEBUG = True
    caso = nuevo_caso().caso
    documento = generado(Documento.objects.get(caso=caso))
    # La ruta no se adivina: una carpeta al azar por archivo, sin folio ni versión.
    carpeta = documento.archivo.name.split("/")[2]
    assert len(carpeta) >= 20 and documento.folio not in carpeta
    ruta = "/media/" + documento.archivo.name
    assert client.get(ruta).status_code == 404
    descarga = reverse("plantillas:descargar", args=[documento.pk])
    anonimo = client.get(descarga)
    assert anonimo.status_code == 302 and anonimo["Location"].startswith(reverse("login"))
    otro = cliente_de(certificado)  # mediador de otro caso, sin relación con este
    assert otro.get(ruta).status_code == 404
    assert otro.get(descarga).status_code == 403
    assert cliente_de(coordinadora).get(descarga).status_code == 200


def test_x_accel_redirect_entrega_tras_la_politica(cliente_de, nuevo_caso, coordinadora, settings):
    from tests.plantillas.conftest import generado

    settings.ARCHIVOS_ENTREGA = "x-accel-redirect"
    caso = nuevo_caso().caso
    documento = generado(Documento.objects.get(caso=caso))
    respuesta = cliente_de(coordinadora).get(reverse("plantillas:descargar", args=[documento.pk]))
    assert respuesta.status_code == 200 and respuesta.content == b""
    assert respuesta["X-Accel-Redirect"] == "/_archivos/" + documento.archivo.name
    assert respuesta["Content-Type"] == "application/pdf"
    assert _renglones(caso) == [("documento", f"documento:{documento.pk}")]


# --- Bitácora para la coordinación -------------------------------------------------------


def test_la_bitacora_filtra_por_persona_folio_y_fechas_y_se_exporta(
    cliente_de, nuevo_caso, coordinadora, operadora, reloj
):
    uno = nuevo_caso(actor=operadora).caso
    dos = nuevo_caso(actor=operadora, telefono="+523388887777").caso
    acceso.registrar_acceso(usuario=operadora, casos=[uno, dos], vista="busqueda")
    reloj.move_to(timezone.now() + timedelta(days=3))
    acceso.registrar_acceso(usuario=coordinadora, casos=uno, vista="detalle")
    cliente = cliente_de(coordinadora)
    url = reverse("casos:bitacora")
    assert cliente.get(url, {"persona": "operadora"}).context["pagina"].paginator.count == 2
    assert cliente.get(url, {"folio": uno.folio}).context["pagina"].paginator.count == 2
    hoy = timezone.localdate().isoformat()
    assert cliente.get(url, {"desde": hoy}).context["pagina"].paginator.count == 1
    assert cliente.get(url, {"desde": hoy, "hasta": "2020-01-01"}).status_code == 400
    csv = cliente.get(url, {"persona": "operadora", "formato": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    texto = b"".join(csv.streaming_content).decode("utf-8-sig")
    renglones = texto.strip().splitlines()
    assert renglones[0].startswith("fecha y hora,usuario,nombre,folio")
    assert len(renglones) == 3 and all("operadora" in r for r in renglones[1:])


def test_quien_consulto_el_expediente_solo_para_la_coordinacion(
    cliente_de, nuevo_caso, coordinadora, operadora
):
    caso = nuevo_caso(actor=operadora).caso
    html = cliente_de(operadora).get(reverse("casos:detalle", args=[caso.folio])).text
    assert "Quién consultó este expediente" not in html
    html = cliente_de(coordinadora).get(reverse("casos:detalle", args=[caso.folio])).text
    assert "Quién consultó este expediente" in html and "Operadora" in html


def test_la_coordinacion_revisa_los_accesos_excepcionales(
    cliente_de, nuevo_caso, coordinadora, mediador
):
    caso = nuevo_caso().caso
    acceso.conceder_excepcional(usuario=mediador, caso=caso, motivo="Cubro la guardia del día.")
    excepcional = AccesoExcepcional.objects.get()
    cliente = cliente_de(coordinadora)
    assert "Cubro la guardia del día." in cliente.get(reverse("casos:bitacora")).text
    cliente.post(reverse("casos:revisar_excepcional", args=[excepcional.pk]))
    excepcional.refresh_from_db()
    assert excepcional.revisado_por == coordinadora and excepcional.revisado_en is not None
    assert "por revisar" not in cliente.get(reverse("casos:bitacora")).text
