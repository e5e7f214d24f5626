"""Datos bloqueados (cancelación ARCO o fin de la conservación del caso): no salen por ninguna
vía al personal ordinario, y quien atiende la privacidad los ve solo tras dar un motivo que
queda en la bitácora (`casos.acceso`)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agenda import selectors as agenda_selectors
from casos import acceso, selectors, services
from casos.models import (
    AccesoExpediente,
    Canal,
    Caso,
    Derecho,
    MedioIdentidad,
    MedioRespuesta,
    RolParte,
)
from casos.services import privacidad as arco
from flujos import tareas
from tests.casos.etapas import admitido, con_sesion, invitado

NOMBRE = "Juana Bloqueada Ruiz"
TELEFONO = "+523398765432"
TELEFONO_TEXTO = "33 9876 5432"
CORREO = "juana.bloqueada@example.com"
OTRA = "Pedro López"
ARCO = "Datos bloqueados por una solicitud de derechos ARCO"
CONSERVACION = "Datos bloqueados por conservación"
MOTIVO = "Responder el recurso de revisión RR-12/2026 del órgano garante."


def _bloquear(caso, privacidad):
    """Cancelación por el camino real: solicitud ARCO, datos identificados, identidad
    acreditada y bloqueo de la parte solicitante."""
    recibida = arco.recibir_solicitud_arco(
        derecho=Derecho.CANCELACION,
        canal=Canal.PRESENCIAL,
        nombre=NOMBRE,
        medio_respuesta=MedioRespuesta.OFICINA,
        descripcion="Pido que cancelen mis datos del caso de ruido.",
        actor=privacidad,
    )
    parte = caso.partes.get(rol=RolParte.SOLICITANTE)
    solicitud = arco.identificar_datos(
        solicitud=recibida.solicitud, partes=[parte], actor=privacidad
    )
    solicitud = arco.acreditar_identidad(
        solicitud=solicitud,
        actor=privacidad,
        medio=MedioIdentidad.IDENTIFICACION,
        detalle="Credencial para votar revisada en ventanilla",
    )
    assert arco.bloquear_datos(solicitud=solicitud, partes=[parte], actor=privacidad) == 1
    return solicitud


@pytest.fixture
def caso(nuevo_caso):
    return nuevo_caso(
        solicitante=services.DatosPersona(nombre=NOMBRE, telefono=TELEFONO, correo=CORREO)
    ).caso


@pytest.fixture
def bloqueado(caso, privacidad):
    _bloquear(caso, privacidad)
    caso.refresh_from_db()
    return caso


def _sin_datos(html: str) -> None:
    for dato in (NOMBRE, TELEFONO, TELEFONO_TEXTO, CORREO, "9876", "Bloqueada"):
        assert dato not in html, f"{dato!r} salió en la página"


# --- La política ----------------------------------------------------------------------------


def test_la_politica_dice_que_esta_bloqueada_y_por_que(bloqueado):
    solicitante, otra = bloqueado.partes.order_by("id")
    assert acceso.parte_bloqueada(solicitante) and not acceso.parte_bloqueada(otra)
    assert acceso.razon_de_bloqueo(solicitante) == ARCO
    assert acceso.nombre_para_mostrar(solicitante) == ARCO
    assert acceso.nombre_para_mostrar(otra) == OTRA
    assert list(acceso.partes_visibles(bloqueado.partes.all())) == [otra]


def test_un_caso_bloqueado_por_conservacion_bloquea_a_todas_sus_partes(caso):
    Caso.objects.filter(pk=caso.pk).update(bloqueado_en=timezone.now())
    caso.refresh_from_db()
    partes = list(caso.partes.all())
    assert [acceso.razon_de_bloqueo(p) for p in partes] == [CONSERVACION, CONSERVACION]
    assert not acceso.partes_visibles(caso.partes.all()).exists()


# --- Búsqueda, conmutador y duplicados ------------------------------------------------------


@pytest.mark.parametrize("texto", [NOMBRE, "bloqueada", TELEFONO_TEXTO, "5432"])
def test_la_busqueda_no_la_encuentra_por_nombre_ni_por_telefono(bloqueado, coordinadora, texto):
    assert not selectors.buscar_casos(usuario=coordinadora, texto=texto).exists()


def test_antes_del_bloqueo_la_busqueda_si_la_encontraba(caso, coordinadora):
    for texto in (NOMBRE, TELEFONO_TEXTO, "5432"):
        assert list(selectors.buscar_casos(usuario=coordinadora, texto=texto)) == [caso]


def test_la_otra_parte_sigue_encontrandose_y_la_lista_no_muestra_a_la_bloqueada(
    bloqueado, coordinadora, client
):
    client.force_login(coordinadora)
    respuesta = client.get(reverse("casos:buscar"), {"q": OTRA})
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert bloqueado.folio in html and OTRA in html and ARCO in html
    _sin_datos(html)


def test_por_folio_el_caso_se_encuentra_pero_sin_sus_datos(bloqueado, coordinadora, client):
    client.force_login(coordinadora)
    respuesta = client.get(reverse("casos:buscar"), {"q": bloqueado.folio[4:]})
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert bloqueado.folio in html and ARCO in html
    _sin_datos(html)


def test_el_conmutador_no_lleva_del_telefono_bloqueado_al_caso(bloqueado, operadora, client):
    client.force_login(operadora)
    respuesta = client.get(reverse("casos:por_telefono"), {"telefono": TELEFONO_TEXTO})
    assert respuesta.status_code == 200
    assert respuesta.json()["casos"] == []
    assert not selectors.casos_por_telefono(TELEFONO).exists()


def test_la_recepcion_no_ve_duplicado_en_el_telefono_bloqueado(
    bloqueado, operadora, aviso, cat_mediacion, localidad
):
    recepcion = services.recibir_con_revision(
        tipo=bloqueado.tipo,
        canal=Canal.TELEFONO,
        categoria=cat_mediacion,
        localidad=localidad,
        resumen="Vuelve a llamar por el ruido del vecino.",
        solicitante=services.DatosPersona(nombre="Otra persona", telefono=TELEFONO),
        otra_parte=services.DatosPersona(nombre="Vecino", domicilio="Calle Juárez 3"),
        aviso=aviso,
        actor=operadora,
    )
    assert recepcion.duplicados == () and recepcion.recibida is not None


def test_el_aviso_de_duplicado_no_da_el_nombre_bloqueado_de_la_otra_parte(
    bloqueado, operadora, client
):
    """Quien llama es la otra parte; la solicitante (bloqueada) no se nombra."""
    otra = bloqueado.partes.get(rol=RolParte.INVITADA)
    otra.telefono = "+523311112222"
    otra.save()
    client.force_login(operadora)
    respuesta = client.get(reverse("casos:por_telefono"), {"telefono": "33 1111 2222"})
    [encontrado] = respuesta.json()["casos"]
    assert encontrado["folio"] == bloqueado.folio and encontrado["otra_parte"] == ARCO


# --- Página del caso ------------------------------------------------------------------------


def test_el_detalle_muestra_la_leyenda_y_no_los_datos(bloqueado, coordinadora, client):
    client.force_login(coordinadora)
    respuesta = client.get(reverse("casos:detalle", args=[bloqueado.folio]))
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert ARCO in html and OTRA in html and "Calle Hidalgo 12" in html
    _sin_datos(html)
    # La coordinación no tiene `casos.ver_datos_bloqueados`: no se le ofrece revelarlos.
    assert "Ver los datos (motivo)" not in html
    assert reverse("casos:revelar_bloqueados", args=[bloqueado.folio]) not in html


def test_la_linea_de_tiempo_no_delata_el_telefono_anterior(caso, coordinadora, privacidad, client):
    parte = caso.partes.get(rol=RolParte.SOLICITANTE)
    services.corregir_contacto_parte(
        parte=parte, actor=coordinadora, telefono="+523300001111", correo=CORREO, domicilio=""
    )
    client.force_login(coordinadora)
    antes = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert TELEFONO_TEXTO in antes  # «antes → ahora» en la línea de tiempo
    _bloquear(caso, privacidad)
    html = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    _sin_datos(html)
    assert "33 0000 1111" not in html


def test_no_se_corrigen_desde_el_expediente_los_datos_bloqueados(bloqueado, coordinadora, client):
    parte = bloqueado.partes.get(rol=RolParte.SOLICITANTE)
    client.force_login(coordinadora)
    url = reverse("casos:datos_parte", args=[bloqueado.folio, parte.pk])
    assert client.get(url).status_code == 404


def test_un_caso_por_conservacion_oculta_tambien_el_relato(caso, coordinadora, client):
    Caso.objects.filter(pk=caso.pk).update(bloqueado_en=timezone.now())
    client.force_login(coordinadora)
    html = client.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert CONSERVACION in html
    assert "música a alto volumen" not in html and OTRA not in html
    _sin_datos(html)


# --- Revelar con motivo ---------------------------------------------------------------------


def test_la_coordinacion_no_puede_revelar(bloqueado, coordinadora, client):
    client.force_login(coordinadora)
    url = reverse("casos:revelar_bloqueados", args=[bloqueado.folio])
    assert client.post(url, {"motivo": MOTIVO}).status_code == 403
    with pytest.raises(PermissionDenied):
        acceso.revelar_bloqueados(usuario=coordinadora, caso=bloqueado, motivo=MOTIVO)
    assert not AccesoExpediente.objects.filter(vista="datos_bloqueados").exists()


def test_privacidad_ve_el_caso_de_la_solicitud_y_revela_solo_con_motivo(
    bloqueado, privacidad, client
):
    client.force_login(privacidad)
    url = reverse("casos:detalle", args=[bloqueado.folio])
    html = client.get(url).content.decode()
    assert ARCO in html and "Ver los datos (motivo)" in html
    _sin_datos(html)

    revelar = reverse("casos:revelar_bloqueados", args=[bloqueado.folio])
    corto = client.post(revelar, {"motivo": "porque sí"})
    assert corto.status_code == 400
    texto = corto.content.decode()
    assert "al menos 10 caracteres" in texto and "porque sí" in texto
    _sin_datos(texto)
    assert not AccesoExpediente.objects.filter(vista="datos_bloqueados").exists()

    assert client.post(revelar, {"motivo": MOTIVO}).status_code == 302
    registro = AccesoExpediente.objects.get(vista="datos_bloqueados")
    assert registro.usuario == privacidad and registro.caso == bloqueado
    assert registro.motivo == MOTIVO
    assert str(registro.que) == "Datos bloqueados revelados con motivo"

    html = client.get(url).content.decode()
    assert NOMBRE in html and TELEFONO_TEXTO in html and CORREO in html
    assert "Ver los datos (motivo)" not in html
    detalle = AccesoExpediente.objects.filter(vista="detalle", usuario=privacidad).first()
    assert detalle.objeto == "datos bloqueados a la vista"


def test_la_revelacion_caduca(bloqueado, privacidad, client, settings):
    settings.DATOS_BLOQUEADOS_MINUTOS = 30
    client.force_login(privacidad)
    acceso.revelar_bloqueados(usuario=privacidad, caso=bloqueado, motivo=MOTIVO)
    url = reverse("casos:detalle", args=[bloqueado.folio])
    assert NOMBRE in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        html = client.get(url).content.decode()
    _sin_datos(html)
    assert "Ver los datos (motivo)" in html


def test_la_revelacion_es_solo_de_ese_caso_y_de_esa_persona(
    nuevo_caso, bloqueado, privacidad, client
):
    otro = nuevo_caso(
        solicitante=services.DatosPersona(nombre="Marta Segunda Díaz", telefono="+523322223333")
    ).caso
    _bloquear(otro, privacidad)
    acceso.revelar_bloqueados(usuario=privacidad, caso=bloqueado, motivo=MOTIVO)
    client.force_login(privacidad)
    html = client.get(reverse("casos:detalle", args=[otro.folio])).content.decode()
    assert "Marta Segunda" not in html and ARCO in html
    # Otra persona del mismo rol ve el caso (es de una solicitud ARCO), no lo revelado.
    segunda = User.objects.create_user("privacidad2")
    segunda.groups.add(*privacidad.groups.all())
    assert acceso.puede_ver(segunda, bloqueado)
    client.force_login(segunda)
    _sin_datos(client.get(reverse("casos:detalle", args=[bloqueado.folio])).content.decode())


def test_privacidad_no_abre_casos_ajenos_a_una_solicitud(nuevo_caso, privacidad, client):
    ajeno = nuevo_caso().caso
    Caso.objects.filter(pk=ajeno.pk).update(bloqueado_en=timezone.now())
    ajeno.refresh_from_db()
    assert not acceso.puede_ver(privacidad, ajeno)
    client.force_login(privacidad)
    assert client.get(reverse("casos:detalle", args=[ajeno.folio])).status_code == 403
    revelar = reverse("casos:revelar_bloqueados", args=[ajeno.folio])
    assert client.post(revelar, {"motivo": MOTIVO}).status_code == 403
    assert not AccesoExpediente.objects.filter(vista="datos_bloqueados").exists()


def test_el_servicio_pide_motivo_y_algo_bloqueado(nuevo_caso, bloqueado, privacidad):
    with pytest.raises(ValidationError) as error:
        acceso.revelar_bloqueados(usuario=privacidad, caso=bloqueado, motivo="  corto  ")
    assert "al menos 10 caracteres" in error.value.message_dict["motivo"][0]
    libre = nuevo_caso().caso
    Caso.objects.filter(pk=libre.pk).update(responsable=privacidad)
    with pytest.raises(ValidationError) as error:
        acceso.revelar_bloqueados(usuario=privacidad, caso=libre, motivo=MOTIVO)
    assert "no tiene datos bloqueados" in error.value.message_dict["motivo"][0]


def test_sin_el_permiso_la_revelacion_anterior_ya_no_vale(bloqueado, privacidad, client):
    acceso.revelar_bloqueados(usuario=privacidad, caso=bloqueado, motivo=MOTIVO)
    privacidad = User.objects.get(pk=privacidad.pk)
    assert acceso.revelacion_vigente(privacidad, bloqueado) is not None
    privacidad.groups.clear()
    privacidad.user_permissions.add(
        Permission.objects.get(codename="view_caso", content_type__app_label="casos")
    )
    privacidad = User.objects.get(pk=privacidad.pk)
    assert acceso.revelacion_vigente(privacidad, bloqueado) is None


# --- Agenda, estadística y administración ---------------------------------------------------


def test_la_agenda_muestra_la_leyenda_en_lugar_del_nombre(
    caso, coordinadora, certificado, sala, reloj, privacidad, client
):
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    _bloquear(caso, privacidad)
    dia = timezone.localtime(sesion.inicio).date()
    dias = agenda_selectors.agenda(usuario=coordinadora, desde=dia, hasta=dia)
    [renglon] = [r for d in dias for r in d.renglones]
    assert renglon.nombres == [ARCO, OTRA]
    client.force_login(coordinadora)
    html = client.get(
        reverse("agenda:oficina"), {"fecha": dia.isoformat(), "vista": "dia"}
    ).content.decode()
    assert caso.folio in html and ARCO in html
    _sin_datos(html)


def test_la_lista_detras_de_una_cifra_no_muestra_el_nombre(bloqueado, direccion, client):
    from estadistica import resumen

    resumen.rehacer()
    client.force_login(direccion)
    respuesta = client.get(reverse("estadistica:casos"), {"medida": "abiertos"})
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert bloqueado.folio in html and ARCO in html
    _sin_datos(html)


def test_la_administracion_no_muestra_las_partes_bloqueadas(bloqueado, client):
    raiz = User.objects.create_superuser("raiz", password="x")
    client.force_login(raiz)
    url = reverse("admin:casos_caso_change", args=[bloqueado.pk])
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert OTRA in html
    _sin_datos(html)


def test_la_administracion_oculta_el_relato_de_un_caso_por_conservacion(caso, client):
    Caso.objects.filter(pk=caso.pk).update(bloqueado_en=timezone.now())
    client.force_login(User.objects.create_superuser("raiz", password="x"))
    html = client.get(reverse("admin:casos_caso_change", args=[caso.pk])).content.decode()
    assert "música a alto volumen" not in html and OTRA not in html
    _sin_datos(html)


def test_la_administracion_no_muestra_los_valores_anteriores_de_la_parte_bloqueada(
    caso, coordinadora, privacidad, client
):
    parte = caso.partes.get(rol=RolParte.SOLICITANTE)
    services.corregir_contacto_parte(
        parte=parte, actor=coordinadora, telefono="+523300001111", correo=CORREO, domicilio=""
    )
    evento = caso.eventos.get(datos__parte=parte.pk)
    client.force_login(User.objects.create_superuser("raiz", password="x"))
    url = reverse("admin:casos_evento_change", args=[evento.pk])
    assert TELEFONO in client.get(url).content.decode()
    _bloquear(caso, privacidad)
    html = client.get(url).content.decode()
    assert TELEFONO not in html and "+523300001111" not in html


def test_la_tarea_del_caso_da_la_leyenda_en_el_resumen(bloqueado, coordinadora, client):
    from viewflow.workflow.models import Task

    tarea = Task.objects.get(
        flow_task_type="HUMAN", process__in=tareas.procesos_de(bloqueado), status="NEW"
    )
    client.force_login(coordinadora)
    respuesta = client.get(reverse("flujos:tarea", args=[tarea.pk]))
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert ARCO in html and OTRA in html
    _sin_datos(html)
