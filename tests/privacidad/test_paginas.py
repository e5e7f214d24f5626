"""Las páginas de las solicitudes de derechos ARCO: el formulario público, la captura por
teléfono, la consulta por folio ARCO y la lista y el detalle del personal."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casos import plazos
from casos.calendario import Calendario
from casos.models import (
    AccesoExpediente,
    AvisoPrivacidad,
    Canal,
    Centro,
    Derecho,
    EstadoARCO,
    MedioRespuesta,
    SolicitudARCO,
)
from casos.services import privacidad as servicios
from tests.casos.etapas import AHORA, con_cifra

pytestmark = pytest.mark.django_db


def datos_arco(**extra):
    datos = {
        "nombre": "Rosa María Quezada Ibarra",
        "representante": "",
        "derecho": Derecho.ACCESO,
        "descripcion": "Quiero saber qué datos míos tienen de la mediación con mi vecino.",
        "folios_referidos": "MED-2026-00042",
        "medio_respuesta": MedioRespuesta.CORREO,
        "telefono": "",
        "correo": "rosa.quezada@correo.mx",
        "domicilio": "",
        "aviso": "on",
        "sitio_web": "",
    }
    datos.update(extra)
    return datos


@pytest.fixture
def nueva_arco(catalogos):
    """Crea solicitudes por el servicio de recepción, como en la operación real."""

    def crear(**extra):
        datos = {
            "derecho": Derecho.ACCESO,
            "canal": Canal.WEB,
            "nombre": "Rosa María Quezada Ibarra",
            "medio_respuesta": MedioRespuesta.CORREO,
            "correo": "rosa.quezada@correo.mx",
            "descripcion": "Quiero saber qué datos míos tienen en sus expedientes.",
        }
        datos.update(extra)
        return servicios.recibir_solicitud_arco(**datos)

    return crear


def _sin_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- Formulario público ---------------------------------------------------------------------


def test_el_formulario_publico_dice_el_plazo_de_la_cifra_vigente(client, catalogos, reloj):
    html = client.get(reverse("arco:solicitud")).content.decode()
    assert "20 días hábiles" in html
    con_cifra("ARCO_RESPUESTA_DIAS_HABILES", 15, desde=AHORA.date() - timedelta(days=1))
    html = client.get(reverse("arco:solicitud")).content.decode()
    assert "15 días hábiles" in html and "20 días hábiles" not in html
    assert AvisoPrivacidad.vigente().texto_simplificado[:40] in html
    assert reverse("portal:privacidad") + "#integral" in html


def test_quien_presenta_recibe_folio_y_codigo_sin_que_vayan_en_la_url(client, catalogos, reloj):
    respuesta = client.post(reverse("arco:solicitud"), datos_arco())
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("arco:enviada")
    solicitud = SolicitudARCO.objects.get()
    assert solicitud.canal == Canal.WEB and solicitud.capturada_por is None
    assert solicitud.aviso_version == AvisoPrivacidad.vigente().version
    assert solicitud.folios_referidos == "MED-2026-00042"
    codigo = servicios.codigo_de(solicitud)
    assert codigo not in respuesta["Location"] and solicitud.folio not in respuesta["Location"]

    html = client.get(reverse("arco:enviada")).content.decode()
    assert solicitud.folio in html
    assert f"{codigo[:5]}-{codigo[5:]}" in html
    assert "identificación oficial" in html and "firma electrónica avanzada" in html
    assert "20 días hábiles" in html
    # Otro navegador no ve nada.
    from django.test import Client

    otra = Client().get(reverse("arco:enviada"))
    assert otra.status_code == 302 and otra["Location"] == reverse("arco:solicitud")


def test_la_pagina_de_exito_nombra_la_unidad_de_transparencia(client, catalogos, reloj):
    centro = Centro.actual()
    centro.unidad_transparencia = "Presidencia Municipal, planta alta, ventanilla 3"
    centro.save()
    client.post(reverse("arco:solicitud"), datos_arco())
    html = client.get(reverse("arco:enviada")).content.decode()
    assert "Presidencia Municipal, planta alta, ventanilla 3" in html


def test_sin_aviso_ni_correo_vuelve_con_errores_en_espanol_y_sin_perder_nada(client, catalogos):
    respuesta = client.post(reverse("arco:solicitud"), datos_arco(aviso="", correo=""))
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "aceptar el aviso de privacidad" in html
    assert "Escriba el correo donde quiere la respuesta." in html
    assert "qué datos míos tienen de la mediación" in html
    assert "Rosa María Quezada Ibarra" in html and "MED-2026-00042" in html
    assert not SolicitudARCO.objects.exists()


def test_el_medio_de_respuesta_exige_su_contacto(client, catalogos):
    respuesta = client.post(
        reverse("arco:solicitud"), datos_arco(medio_respuesta=MedioRespuesta.WHATSAPP)
    )
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "Escriba el teléfono de WhatsApp." in html
    assert "rosa.quezada@correo.mx" in html
    assert not SolicitudARCO.objects.exists()


def test_datos_faltantes_o_mal_escritos_dan_mensajes_claros(client, catalogos):
    respuesta = client.post(
        reverse("arco:solicitud"),
        datos_arco(derecho="", nombre="", telefono="555", correo="rosa@", descripcion="corto"),
    )
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "Elija qué derecho quiere ejercer." in html
    assert "Este dato es obligatorio." in html
    assert "Escriba un teléfono válido" in html or "no es un teléfono válido" in html
    assert "Escriba un correo válido" in html
    assert not SolicitudARCO.objects.exists()


def test_el_telefono_se_guarda_en_e164(client, catalogos):
    client.post(
        reverse("arco:solicitud"),
        datos_arco(medio_respuesta=MedioRespuesta.SMS, telefono="33 1234 5678", correo=""),
    )
    assert SolicitudARCO.objects.get().telefono == "+523312345678"


def test_la_trampa_para_robots_no_registra_nada(client, catalogos):
    respuesta = client.post(reverse("arco:solicitud"), datos_arco(sitio_web="http://spam"))
    assert respuesta.status_code == 400
    assert not SolicitudARCO.objects.exists()


def test_demasiadas_solicitudes_desde_una_conexion_se_limitan(client, catalogos, settings):
    settings.SOLICITUD_PUBLICA_LIMITE = 2
    for _ in range(2):
        assert client.post(reverse("arco:solicitud"), datos_arco()).status_code == 302
    tercera = client.post(reverse("arco:solicitud"), datos_arco())
    assert tercera.status_code == 429
    assert "Rosa María Quezada Ibarra" in tercera.content.decode()
    assert SolicitudARCO.objects.count() == 2


def test_los_errores_no_cuentan_contra_el_limite(client, catalogos, settings):
    settings.SOLICITUD_PUBLICA_LIMITE = 1
    assert client.post(reverse("arco:solicitud"), datos_arco(aviso="")).status_code == 400
    assert client.post(reverse("arco:solicitud"), datos_arco()).status_code == 302


def test_el_aviso_de_privacidad_y_el_pie_enlazan_a_arco(client, catalogos):
    html = client.get(reverse("portal:privacidad")).content.decode()
    assert html.count(f'href="{reverse("arco:solicitud")}"') == 2  # la sección y el pie
    inicio = client.get(reverse("portal:inicio")).content.decode()
    assert f'href="{reverse("arco:solicitud")}"' in inicio


def test_sesion_vencida_al_enviar_conserva_lo_escrito(catalogos):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True)
    respuesta = cliente.post(reverse("arco:solicitud"), datos_arco())
    assert respuesta.status_code == 403
    html = respuesta.content.decode()
    assert "Su sesión expiró antes de enviar" in html
    assert "qué datos míos tienen de la mediación" in html
    assert not SolicitudARCO.objects.exists()


# --- Captura por teléfono o en persona ------------------------------------------------------


def test_la_operadora_captura_una_llamada_y_lee_folio_y_codigo(client, operadora, aviso, reloj):
    client.force_login(operadora)
    assert client.get(reverse("privacidad:nueva")).status_code == 200
    respuesta = client.post(
        reverse("privacidad:nueva"),
        datos_arco(canal=Canal.TELEFONO, derecho=Derecho.RECTIFICACION),
    )
    solicitud = SolicitudARCO.objects.get()
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("privacidad:recibida", args=[solicitud.folio])
    assert solicitud.canal == Canal.TELEFONO and solicitud.capturada_por == operadora
    assert solicitud.derecho == Derecho.RECTIFICACION
    html = client.get(respuesta["Location"]).content.decode()
    codigo = servicios.codigo_de(solicitud)
    assert solicitud.folio in html and f"{codigo[:5]}-{codigo[5:]}" in html
    assert "acreditar su identidad" in html
    # La operadora no atiende ARCO: no se le ofrece el detalle.
    assert reverse("privacidad:detalle", args=[solicitud.folio]) not in html
    # Otra sesión de la misma persona (otra computadora) no ve el código.
    client.logout()
    client.force_login(operadora)
    assert client.get(respuesta["Location"]).status_code == 404


def test_la_captura_exige_canal_del_personal_y_conserva_lo_escrito(client, privacidad):
    client.force_login(privacidad)
    respuesta = client.post(reverse("privacidad:nueva"), datos_arco(canal=Canal.WEB, aviso=""))
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "Elija uno de los canales de la lista." in html
    assert "la persona lo aceptó" in html
    assert "qué datos míos tienen de la mediación" in html
    assert not SolicitudARCO.objects.exists()


def test_presencial_por_quien_atiende_arco(client, privacidad, reloj):
    client.force_login(privacidad)
    client.post(reverse("privacidad:nueva"), datos_arco(canal=Canal.PRESENCIAL))
    solicitud = SolicitudARCO.objects.get()
    assert solicitud.canal == Canal.PRESENCIAL and solicitud.capturada_por == privacidad
    html = client.get(reverse("privacidad:recibida", args=[solicitud.folio])).content.decode()
    assert reverse("privacidad:detalle", args=[solicitud.folio]) in html


# --- Consulta pública por folio ARCO --------------------------------------------------------


def test_consulta_por_folio_arco_con_el_codigo_correcto(client, nueva_arco, reloj):
    recibida = nueva_arco(
        nombre="Rosa María Quezada Ibarra", descripcion="Mis datos del caso de la barda rota."
    )
    solicitud = recibida.solicitud
    respuesta = client.post(
        reverse("portal:consulta"),
        {"folio": solicitud.folio.lower().replace("-", " "), "codigo": recibida.codigo.lower()},
    )
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert solicitud.folio in html and "Recibida" in html
    assert "verificará su identidad" in html  # explicacion_estado
    assert "Solicitud de acceso a sus datos recibida por formulario web." in html
    vence = plazos.arco_respuesta_vence_el(solicitud)
    from casos.templatetags.formato import fecha_larga

    assert fecha_larga(vence) in html
    for privado in ("Rosa", "Quezada", "rosa.quezada", "barda"):
        assert privado not in html


def test_consulta_arco_muestra_solo_los_eventos_publicos(client, nueva_arco, privacidad):
    recibida = nueva_arco()
    servicios.registrar_evento(
        solicitud=recibida.solicitud,
        tipo="aviso",
        descripcion="Nota interna para el expediente",
        actor=privacidad,
    )
    html = client.post(
        reverse("portal:consulta"),
        {"folio": recibida.solicitud.folio, "codigo": recibida.codigo},
    ).content.decode()
    assert "Nota interna" not in html
    assert "recibida por formulario web" in html


def test_consulta_arco_requerida_dice_en_pausa_y_hasta_cuando_entregar(
    client, nueva_arco, privacidad, reloj
):
    recibida = nueva_arco()
    solicitud = servicios.requerir_informacion(
        solicitud=recibida.solicitud,
        actor=privacidad,
        requerimiento="Copia de la identificación oficial de la titular.",
    )
    html = client.post(
        reverse("portal:consulta"), {"folio": solicitud.folio, "codigo": recibida.codigo}
    ).content.decode()
    from casos.templatetags.formato import fecha_larga

    assert "En pausa hasta que entregue lo que se le pidió" in html
    assert fecha_larga(plazos.arco_desahogo_vence_el(solicitud)) in html
    assert "Copia de la identificación" not in html


def test_folio_arco_o_codigo_equivocados_dan_la_misma_respuesta(client, nueva_arco):
    recibida = nueva_arco()
    folio = recibida.solicitud.folio
    mal_codigo = client.post(reverse("portal:consulta"), {"folio": folio, "codigo": "AAAAA-AAAAA"})
    mal_folio = client.post(
        reverse("portal:consulta"), {"folio": "ARCO-2026-99999", "codigo": recibida.codigo}
    )
    assert mal_codigo.status_code == mal_folio.status_code == 404
    cuerpo_1 = _sin_csrf(mal_codigo.content.decode()).replace(folio, "F")
    cuerpo_1 = cuerpo_1.replace("AAAAA-AAAAA", "C")
    cuerpo_2 = _sin_csrf(mal_folio.content.decode()).replace("ARCO-2026-99999", "F")
    cuerpo_2 = cuerpo_2.replace(recibida.codigo, "C")
    assert cuerpo_1 == cuerpo_2
    assert "No encontramos una solicitud con ese folio y código" in cuerpo_1


def test_fallos_repetidos_en_folio_arco_se_limitan(client, nueva_arco, settings):
    settings.CONSULTA_FALLOS_LIMITE = 3
    recibida = nueva_arco()
    folio = recibida.solicitud.folio
    for _ in range(3):
        client.post(reverse("portal:consulta"), {"folio": folio, "codigo": "ZZZZZZZZZZ"})
    bloqueada = client.post(reverse("portal:consulta"), {"folio": folio, "codigo": recibida.codigo})
    assert bloqueada.status_code == 429
    assert "Demasiados intentos fallidos" in bloqueada.content.decode()


def test_un_acierto_en_folio_arco_no_cuenta_como_fallo(client, nueva_arco, settings):
    settings.CONSULTA_FALLOS_LIMITE = 2
    recibida = nueva_arco()
    datos = {"folio": recibida.solicitud.folio, "codigo": recibida.codigo}
    for _ in range(4):
        assert client.post(reverse("portal:consulta"), datos).status_code == 200


# --- Lista del personal ---------------------------------------------------------------------


def _recibida_hace(nueva_arco, dias_de_respuesta_restantes: int, **extra):
    """Una solicitud recibida de modo que a su plazo de respuesta le falten (o le sobren, si
    es negativo) tantos días hábiles desde hoy."""
    calendario = Calendario()
    hoy = timezone.localdate()
    dia = hoy
    while True:
        dia -= timedelta(days=1)
        vence = calendario.sumar(dia, 20)
        if calendario.entre(hoy, vence) <= dias_de_respuesta_restantes:
            break
    return nueva_arco(recibida_en=AHORA - (hoy - dia), **extra).solicitud


def test_la_lista_filtra_por_estado_derecho_texto_y_plazo(client, privacidad, nueva_arco, reloj):
    vencida = _recibida_hace(nueva_arco, -3, nombre="Alicia Vencida Torres")
    por_vencer = _recibida_hace(nueva_arco, 1, nombre="Beatriz Porvencer Ruiz")
    reciente = nueva_arco(nombre="Carmen Reciente Díaz", derecho=Derecho.CANCELACION).solicitud
    respondida = nueva_arco(nombre="Dolores Respondida Gil").solicitud
    SolicitudARCO.objects.filter(pk=respondida.pk).update(estado=EstadoARCO.RESPONDIDA)
    client.force_login(privacidad)
    url = reverse("privacidad:lista")

    def folios(**filtros):
        html = client.get(url, filtros).content.decode()
        return {
            s.folio
            for s in (vencida, por_vencer, reciente, respondida)
            if f'href="{reverse("privacidad:detalle", args=[s.folio])}"' in html
        }

    assert folios() == {vencida.folio, por_vencer.folio, reciente.folio}
    assert folios(estado="todas") == {
        vencida.folio,
        por_vencer.folio,
        reciente.folio,
        respondida.folio,
    }
    assert folios(estado=EstadoARCO.RESPONDIDA) == {respondida.folio}
    assert folios(derecho=Derecho.CANCELACION) == {reciente.folio}
    assert folios(q="porvencer") == {por_vencer.folio}
    assert folios(q=reciente.folio.lower()) == {reciente.folio}
    assert folios(plazo="vencidas") == {vencida.folio}
    assert folios(plazo="por_vencer") == {por_vencer.folio}
    html = client.get(url).content.decode()
    assert "vencido hace 3 días hábiles" in html
    assert "falta 1 día hábil" in html


def test_la_lista_dice_en_pausa_lo_que_espera_a_la_persona(client, privacidad, nueva_arco, reloj):
    solicitud = servicios.requerir_informacion(
        solicitud=nueva_arco().solicitud, actor=privacidad, requerimiento="Identificación."
    )
    client.force_login(privacidad)
    html = client.get(reverse("privacidad:lista")).content.decode()
    assert "La persona entrega lo pedido" in html
    assert f"{plazos.arco_desahogo_vence_el(solicitud):%d/%m/%Y}" in html


@pytest.mark.parametrize("plazo", ["", "vencidas"])
def test_la_lista_hace_las_mismas_consultas_con_pocas_o_muchas(
    client, privacidad, nueva_arco, reloj, plazo
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(privacidad)
    url = reverse("privacidad:lista")
    nueva_arco()
    client.get(url, {"plazo": plazo})  # calienta sesión y cifras
    with CaptureQueriesContext(connection) as pocas:
        client.get(url, {"plazo": plazo})
    for _ in range(8):
        nueva_arco()
    with CaptureQueriesContext(connection) as muchas:
        client.get(url, {"plazo": plazo})
    assert len(muchas) == len(pocas)


def test_la_lista_se_pagina(client, privacidad, nueva_arco):
    for n in range(27):
        nueva_arco(nombre=f"Persona Titular {n:02d}")
    client.force_login(privacidad)
    html = client.get(reverse("privacidad:lista")).content.decode()
    assert "Página 1 de 2" in html and html.count('href="/privacidad/ARCO-') == 25
    segunda = client.get(reverse("privacidad:lista"), {"pagina": "2"}).content.decode()
    assert segunda.count('href="/privacidad/ARCO-') == 2


# --- Detalle del personal -------------------------------------------------------------------


def test_el_detalle_muestra_la_solicitud_plazos_datos_y_registra_el_acceso(
    client, privacidad, nueva_arco, nuevo_caso, reloj
):
    caso = nuevo_caso(nombre="Rosa María Quezada Ibarra").caso
    solicitud = nueva_arco(representante="Licenciado Ramón Orozco").solicitud
    parte = caso.partes.get(nombre="Rosa María Quezada Ibarra")
    servicios.identificar_datos(solicitud=solicitud, partes=[parte], actor=privacidad)
    client.force_login(privacidad)
    AccesoExpediente.objects.all().delete()
    html = client.get(reverse("privacidad:detalle", args=[solicitud.folio])).content.decode()
    assert "Rosa María Quezada Ibarra" in html and "Licenciado Ramón Orozco" in html
    assert "Quiero saber qué datos míos tienen" in html
    assert "Sin acreditar: no entregue ningún dato" in html
    assert f"{plazos.arco_respuesta_vence_el(solicitud):%d/%m/%Y}" in html
    assert f"{plazos.arco_requerimiento_vence_el(solicitud):%d/%m/%Y}" in html
    assert caso.folio in html and "33 1234 5678" in html
    assert "Solicitud de acceso a sus datos recibida por formulario web." in html
    assert "Datos identificados en 1 renglón" in html
    acceso = AccesoExpediente.objects.get()
    assert acceso.caso == caso and acceso.vista == "arco" and acceso.usuario == privacidad
    assert acceso.objeto == solicitud.folio


def test_el_detalle_sin_datos_identificados_no_escribe_bitacora(client, privacidad, nueva_arco):
    solicitud = nueva_arco().solicitud
    client.force_login(privacidad)
    assert client.get(reverse("privacidad:detalle", args=[solicitud.folio])).status_code == 200
    assert not AccesoExpediente.objects.exists()


def test_el_detalle_acepta_el_folio_en_otra_escritura_y_da_404_si_no_existe(
    client, privacidad, nueva_arco
):
    solicitud = nueva_arco().solicitud
    client.force_login(privacidad)
    respuesta = client.get(reverse("privacidad:detalle", args=[solicitud.folio.lower()]))
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("privacidad:detalle", args=[solicitud.folio])
    assert client.get(reverse("privacidad:detalle", args=["ARCO-2026-99999"])).status_code == 404
    assert client.get(reverse("privacidad:detalle", args=["MED-2026-00001"])).status_code == 404


def test_el_detalle_lista_las_tareas_abiertas_de_su_proceso(client, privacidad, nueva_arco):
    from viewflow.workflow.models import Task

    from flujos.tareas import procesos_de

    solicitud = nueva_arco().solicitud
    # Al recibirse arrancó su flujo: la primera tarea está en la cola.
    [abierta] = Task.objects.filter(process__in=procesos_de(solicitud), flow_task_type="HUMAN")
    client.force_login(privacidad)
    html = client.get(reverse("privacidad:detalle", args=[solicitud.folio])).content.decode()
    assert reverse("flujos:tarea", args=[abierta.pk]) in html
    assert html.count('href="/tareas/') == 1
    assert "en la cola, sin asignar" in html


# --- Permisos -------------------------------------------------------------------------------


def test_solo_quien_atiende_arco_ve_la_lista_y_el_detalle(
    client, privacidad, coordinadora, operadora, mediador, ajeno, nueva_arco
):
    solicitud = nueva_arco().solicitud
    for url in (
        reverse("privacidad:lista"),
        reverse("privacidad:detalle", args=[solicitud.folio]),
    ):
        client.logout()
        anonimo = client.get(url)
        assert anonimo.status_code == 302 and anonimo["Location"].startswith(reverse("login"))
        for persona, esperado in (
            (privacidad, 200),
            (coordinadora, 403),
            (operadora, 403),
            (mediador, 403),
            (ajeno, 403),
        ):
            client.force_login(persona)
            assert client.get(url).status_code == esperado, (persona.username, url)


def test_capturan_quien_atiende_arco_y_quien_captura_solicitudes(
    client, privacidad, operadora, coordinadora, mediador, ajeno
):
    url = reverse("privacidad:nueva")
    for persona, esperado in (
        (privacidad, 200),
        (operadora, 200),
        (coordinadora, 200),
        (mediador, 403),
        (ajeno, 403),
    ):
        client.force_login(persona)
        assert client.get(url).status_code == esperado, persona.username
    client.logout()
    assert client.get(url).status_code == 302


def test_el_menu_muestra_privacidad_solo_a_quien_atiende_arco(client, privacidad, mediador):
    client.force_login(privacidad)
    assert f'href="{reverse("privacidad:lista")}"' in client.get("/agenda/salas/").content.decode()
    client.force_login(mediador)
    assert (
        f'href="{reverse("privacidad:lista")}"' not in client.get("/agenda/salas/").content.decode()
    )


def test_el_aviso_de_privacidad_sigue_en_su_direccion_y_la_lista_va_aparte(client, privacidad):
    """`/privacidad/` es el aviso público (acuses, Open311): la lista del personal no lo
    tapa, ni para quien atiende ARCO."""
    client.force_login(privacidad)
    assert reverse("portal:privacidad") == "/privacidad/"
    assert "Aviso simplificado" in client.get("/privacidad/").content.decode()
    assert reverse("privacidad:lista") == "/privacidad/solicitudes/"


def test_los_datos_bloqueados_solo_los_ve_quien_tiene_el_permiso(
    client, privacidad, nueva_arco, nuevo_caso, reloj
):
    from django.contrib.auth.models import Permission, User

    from casos.models import Parte

    caso = nuevo_caso(nombre="Rosa María Quezada Ibarra").caso
    parte = caso.partes.get(nombre="Rosa María Quezada Ibarra")
    solicitud = nueva_arco().solicitud
    servicios.identificar_datos(solicitud=solicitud, partes=[parte], actor=privacidad)
    Parte.objects.filter(pk=parte.pk).update(bloqueada_en=timezone.now(), usos_opuestos=["avisos"])
    url = reverse("privacidad:detalle", args=[solicitud.folio])

    client.force_login(privacidad)
    html = client.get(url).content.decode()
    assert "33 1234 5678" in html and "bloqueados el 24/11/2026" in html
    assert "se opuso a: avisos y recordatorios" in html

    solo_arco = User.objects.create_user("solo_arco")
    solo_arco.user_permissions.add(
        Permission.objects.get(codename="view_caso"),
        Permission.objects.get(codename="atender_arco"),
    )
    client.force_login(solo_arco)
    html = client.get(url).content.decode()
    assert "Datos bloqueados: no se muestran." in html
    assert "33 1234 5678" not in html and caso.folio in html


def test_la_captura_de_casos_lleva_a_la_de_arco(client, operadora):
    client.force_login(operadora)
    html = client.get(reverse("casos:nueva")).content.decode()
    assert f'href="{reverse("privacidad:nueva")}"' in html


def test_la_respuesta_se_descarga_desde_la_consulta_solo_en_ese_navegador(
    client, nueva_arco, privacidad, django_capture_on_commit_callbacks
):
    """Respondida la solicitud, la consulta por folio y código ofrece la respuesta en PDF
    con un enlace firmado que vale solo en el navegador que consultó."""
    from django.test import Client

    from plantillas.models import Documento, TipoDocumento
    from plantillas.services import generar

    recibida = nueva_arco()
    solicitud = servicios.acreditar_identidad(
        solicitud=recibida.solicitud, actor=privacidad, medio="identificacion", detalle="INE"
    )
    consulta = {"folio": solicitud.folio, "codigo": recibida.codigo}
    html = client.post(reverse("portal:consulta"), consulta).content.decode()
    assert "Su respuesta" not in html
    with django_capture_on_commit_callbacks(execute=False):
        servicios.responder(
            solicitud=solicitud,
            actor=privacidad,
            sentido="procedente",
            fundamento="LGPDPPSO [por confirmar]",
            respuesta="Le entregamos sus datos.",
        )
    for documento in Documento.objects.filter(solicitud=solicitud):
        assert generar(documento.pk) is True
    html = client.post(reverse("portal:consulta"), consulta).content.decode()
    prefijo = reverse("portal:documento", args=["x"]).removesuffix("x/")
    enlaces = re.findall(f'href="({re.escape(prefijo)}[^"]+)"', html)
    assert "Respuesta a su solicitud (PDF)" in html and "Sus datos personales (PDF)" in html
    assert len(enlaces) == 2
    descarga = client.get(enlaces[0])
    assert descarga.status_code == 200
    assert b"".join(descarga.streaming_content).startswith(b"%PDF")
    # En otro navegador el enlace no vale.
    assert Client().get(enlaces[0]).status_code == 404
    tipos = set(Documento.objects.filter(solicitud=solicitud).values_list("tipo", flat=True))
    assert tipos == {TipoDocumento.RESPUESTA_ARCO, TipoDocumento.DATOS_ARCO}
