"""Sincronización de lo capturado sin conexión en un módulo: una vez cada captura."""

import json
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from casos.models import Canal, Caso, Categoria, Evento, TipoCaso, TipoEvento
from casos.services import DecisionDuplicado
from modulos import services
from modulos.models import CapturaDeCampo, ResultadoCaptura


def renglon(modulo, *, id=None, capturado_en=None, **datos):
    categoria = Categoria.objects.filter(tipo=TipoCaso.ASESORIA).first()
    base = {
        "modulo": modulo.pk,
        "tipo": TipoCaso.ASESORIA,
        "categoria": categoria.pk,
        "localidad": modulo.localidad_id,
        "nombre": "Rosa Jiménez",
        "telefono": "",
        "domicilio": "Calle Morelos 4, Margaritas",
        "resumen": "Quiere orientación para regularizar su terreno.",
        "aviso": True,
    }
    base.update(datos)
    cuando = capturado_en or (timezone.now() - timedelta(hours=1))
    return {"id": str(id or uuid.uuid4()), "capturado_en": cuando.isoformat(), "datos": base}


@pytest.fixture
def jornada(modulo):
    # La jornada empezó hoy; las capturas son de esta mañana.
    return modulo


def test_una_captura_entra_por_la_recepcion_con_su_hora_jornada_y_quien_atendio(operadora, jornada):
    hace_rato = (timezone.now() - timedelta(minutes=50)).replace(microsecond=0)
    r = renglon(jornada, capturado_en=hace_rato)
    resultado = services.sincronizar_captura(renglon=r, actor=operadora)
    assert resultado.estado == ResultadoCaptura.RECIBIDA
    caso = Caso.objects.get(folio=resultado.folio)
    assert caso.canal == Canal.MODULO
    assert caso.modulo == jornada
    assert caso.recibido_en == hace_rato
    assert caso.aviso_aceptado_en == hace_rato
    assert caso.capturado_por == operadora
    assert resultado.codigo and len(resultado.codigo) > 8
    captura = CapturaDeCampo.objects.get(id_equipo=r["id"])
    assert (captura.caso, captura.capturado_en, captura.capturado_por) == (
        caso,
        hace_rato,
        operadora,
    )
    assert Evento.objects.get(caso=caso, tipo=TipoEvento.RECIBIDA).creado_en == hace_rato


def test_la_misma_captura_dos_veces_es_un_solo_caso_y_responde_lo_mismo(operadora, jornada):
    r = renglon(jornada)
    primera = services.sincronizar_captura(renglon=r, actor=operadora)
    segunda = services.sincronizar_captura(renglon=r, actor=operadora)
    assert Caso.objects.count() == 1
    assert segunda.repetida and not primera.repetida
    assert (segunda.folio, segunda.codigo, segunda.estado) == (
        primera.folio,
        primera.codigo,
        primera.estado,
    )


def test_el_mismo_lote_dos_veces_no_duplica(operadora, jornada):
    lote = [renglon(jornada, nombre=f"Persona {n}") for n in range(5)]
    primera = services.sincronizar_lote(renglones=lote, actor=operadora)
    segunda = services.sincronizar_lote(renglones=lote, actor=operadora)
    assert Caso.objects.count() == 5
    assert [r.folio for r in primera] == [r.folio for r in segunda]
    assert all(r.repetida for r in segunda)


def test_un_renglon_con_errores_no_detiene_a_los_demas_ni_se_guarda(operadora, jornada):
    lote = [
        renglon(jornada, nombre="Buena uno"),
        renglon(jornada, nombre="", resumen=""),
        renglon(jornada, aviso=False),
        renglon(jornada, categoria="99999"),
        renglon(jornada, nombre="Buena dos"),
    ]
    resultados = services.sincronizar_lote(renglones=lote, actor=operadora)
    assert [r.estado for r in resultados] == [
        "recibida",
        "rechazada",
        "rechazada",
        "rechazada",
        "recibida",
    ]
    assert resultados[1].errores["nombre"] == ["Este dato es obligatorio."]
    assert "resumen" in resultados[1].errores
    assert "aviso de privacidad" in resultados[2].errores["aviso"][0]
    assert resultados[3].errores["categoria"] == ["Elija una opción de la lista."]
    assert Caso.objects.count() == 2
    assert CapturaDeCampo.objects.count() == 2


def test_la_mediacion_sin_otra_parte_se_rechaza_con_el_error_del_servicio(operadora, jornada):
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    r = renglon(jornada, tipo=TipoCaso.MEDIACION, categoria=categoria.pk)
    resultado = services.sincronizar_captura(renglon=r, actor=operadora)
    assert resultado.estado == "rechazada"
    assert "otra parte" in resultado.errores["otra_nombre"][0]
    assert not CapturaDeCampo.objects.exists()


def test_hora_de_captura_futura_o_antes_de_la_jornada_se_rechaza(operadora, jornada):
    futura = renglon(jornada, capturado_en=timezone.now() + timedelta(hours=2))
    antes = renglon(jornada, capturado_en=timezone.now() - timedelta(days=2))
    sin_hora = {**renglon(jornada), "capturado_en": ""}
    r1, r2, r3 = services.sincronizar_lote(renglones=[futura, antes, sin_hora], actor=operadora)
    assert r1.errores["recibido_en"] == ["La fecha y hora de recepción no puede ser futura."]
    assert "anterior a la jornada" in r2.errores["recibido_en"][0]
    assert r3.errores["recibido_en"] == ["Falta la hora de captura."]
    assert not Caso.objects.exists()


def test_id_de_equipo_invalido_o_de_otra_persona_se_rechaza(operadora, asesor, jornada):
    malo = {**renglon(jornada), "id": "no-es-uuid"}
    assert services.sincronizar_captura(renglon=malo, actor=operadora).estado == "rechazada"
    r = renglon(jornada)
    services.sincronizar_captura(renglon=r, actor=operadora)
    ajena = services.sincronizar_captura(renglon=r, actor=asesor)
    assert ajena.estado == "rechazada" and not ajena.folio and not ajena.codigo
    assert Caso.objects.count() == 1


def test_telefono_con_caso_abierto_queda_por_decidir_sin_crear_nada(operadora, jornada, nuevo_caso):
    existente = nuevo_caso(telefono="+523912345678").caso
    r = renglon(jornada, telefono="391 234 5678")
    resultado = services.sincronizar_captura(renglon=r, actor=operadora)
    assert resultado.estado == ResultadoCaptura.POR_DECIDIR
    assert not resultado.folio
    assert Caso.objects.count() == 1
    captura = CapturaDeCampo.objects.get(id_equipo=r["id"])
    assert captura.datos["nombre"] == "Rosa Jiménez"
    # Repetir el lote no la duplica ni la decide.
    again = services.sincronizar_captura(renglon=r, actor=operadora)
    assert again.estado == ResultadoCaptura.POR_DECIDIR and again.repetida
    assert CapturaDeCampo.objects.count() == 1
    assert existente.folio


@pytest.mark.parametrize(
    "decision",
    [DecisionDuplicado.NUEVO, DecisionDuplicado.NUEVO_LIGADO, DecisionDuplicado.CONTACTO],
)
def test_decidir_un_duplicado_usa_la_misma_recepcion_con_la_hora_de_captura(
    operadora, coordinadora, jornada, nuevo_caso, decision
):
    existente = nuevo_caso(telefono="+523912345678").caso
    hace_rato = (timezone.now() - timedelta(minutes=30)).replace(microsecond=0)
    r = renglon(jornada, telefono="391 234 5678", capturado_en=hace_rato)
    services.sincronizar_captura(renglon=r, actor=operadora)
    captura = CapturaDeCampo.objects.get(id_equipo=r["id"])
    resultado = services.decidir_duplicado(
        captura=captura, decision=decision, folio_existente=existente.folio, actor=coordinadora
    )
    captura.refresh_from_db()
    assert captura.datos == {} and captura.decidido_por == coordinadora
    if decision == DecisionDuplicado.CONTACTO:
        assert resultado.estado == ResultadoCaptura.CONTACTO
        assert captura.caso == existente
        assert Caso.objects.count() == 1
        assert Evento.objects.filter(caso=existente, tipo=TipoEvento.CONTACTO).exists()
    else:
        nuevo = Caso.objects.get(folio=resultado.folio)
        assert (nuevo.recibido_en, nuevo.modulo, nuevo.capturado_por) == (
            hace_rato,
            jornada,
            operadora,
        )
        assert (nuevo.caso_anterior == existente) == (decision == DecisionDuplicado.NUEVO_LIGADO)
    with pytest.raises(Exception, match="ya se decidió"):
        services.decidir_duplicado(
            captura=captura, decision=decision, folio_existente=existente.folio, actor=operadora
        )


def test_solo_quien_capturo_o_la_coordinacion_decide(operadora, asesor, jornada, nuevo_caso):
    nuevo_caso(telefono="+523912345678")
    r = renglon(jornada, telefono="391 234 5678")
    services.sincronizar_captura(renglon=r, actor=operadora)
    captura = CapturaDeCampo.objects.get(id_equipo=r["id"])
    with pytest.raises(Exception, match="Solo quien la capturó"):
        services.decidir_duplicado(captura=captura, decision="nuevo", actor=asesor)


def test_la_vista_sincroniza_por_json_y_deja_bitacora(client, operadora, jornada):
    from casos.models import AccesoExpediente

    client.force_login(operadora)
    lote = [renglon(jornada), renglon(jornada, nombre="")]
    respuesta = client.post(
        reverse("modulos:sincronizar"),
        json.dumps({"capturas": lote}),
        content_type="application/json",
    )
    assert respuesta.status_code == 200
    resultados = respuesta.json()["resultados"]
    assert [r["estado"] for r in resultados] == ["recibida", "rechazada"]
    assert resultados[0]["folio"].startswith("ASE-")
    assert resultados[0]["acuse"].startswith("/documentos/")
    assert AccesoExpediente.objects.filter(vista="captura_de_campo", usuario=operadora).count() == 1
    malo = client.post(
        reverse("modulos:sincronizar"), "no es json", content_type="application/json"
    )
    assert malo.status_code == 400 and "no se pudo leer" in malo.json()["error"]


def test_la_sincronizacion_exige_csrf(operadora, jornada):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True)
    cliente.force_login(operadora)
    respuesta = cliente.post(
        reverse("modulos:sincronizar"),
        json.dumps({"capturas": [renglon(jornada)]}),
        content_type="application/json",
    )
    assert respuesta.status_code == 403
    assert not Caso.objects.exists()


def test_comprobar_la_contrasena_antes_de_crear_la_llave(client, operadora):
    from tests.conftest import CLAVE

    client.force_login(operadora)
    url = reverse("modulos:contrasena")
    assert (
        client.post(url, json.dumps({"contrasena": CLAVE}), "application/json").status_code == 200
    )
    mala = client.post(url, json.dumps({"contrasena": "otra"}), "application/json")
    assert mala.status_code == 403 and mala.json()["error"] == "La contraseña no es correcta."


def test_catalogos_traen_la_sal_de_cada_persona_y_las_jornadas_de_hoy(
    client, operadora, asesor, jornada
):
    client.force_login(operadora)
    a = client.get(reverse("modulos:catalogos")).json()
    client.force_login(asesor)
    b = client.get(reverse("modulos:catalogos")).json()
    assert a["usuario"]["sal"] != b["usuario"]["sal"]
    assert a["usuario"]["iteraciones"] >= 200_000
    assert [j["id"] for j in a["jornadas"]] == [jornada.pk]
    assert a["aviso"]["texto"]


def test_por_decidir_lista_y_decide_desde_la_pagina(client, operadora, jornada, nuevo_caso):
    existente = nuevo_caso(telefono="+523912345678").caso
    r = renglon(jornada, telefono="391 234 5678")
    services.sincronizar_captura(renglon=r, actor=operadora)
    captura = CapturaDeCampo.objects.get()
    client.force_login(operadora)
    pagina = client.get(reverse("modulos:por_decidir"))
    assert existente.folio in pagina.content.decode()
    sin_eleccion = client.post(reverse("modulos:por_decidir"), {"captura": captura.pk})
    assert sin_eleccion.status_code == 400
    assert "Elija qué hacer" in sin_eleccion.content.decode()
    hecho = client.post(
        reverse("modulos:por_decidir"),
        {
            "captura": captura.pk,
            f"c{captura.pk}-accion": "nuevo_ligado",
            f"c{captura.pk}-caso_existente": existente.folio,
        },
    )
    assert hecho.status_code == 302
    captura.refresh_from_db()
    assert captura.resultado == ResultadoCaptura.RECIBIDA
    assert captura.caso.caso_anterior == existente


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_el_mismo_lote_desde_varias_conexiones_a_la_vez_es_un_caso_por_captura(
    catalogos, operadora, modulo
):
    hilos_n = 6
    lote = [renglon(modulo, nombre=f"Persona {n}") for n in range(8)]
    barrera = threading.Barrier(hilos_n)
    errores, respuestas = [], []

    def trabajar():
        try:
            barrera.wait()
            respuestas.append(services.sincronizar_lote(renglones=lote, actor=operadora))
        except Exception as error:  # se reporta abajo
            errores.append(error)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=trabajar) for _ in range(hilos_n)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    assert not errores
    assert Caso.objects.count() == len(lote)
    assert CapturaDeCampo.objects.count() == len(lote)
    folios = {tuple(r.folio for r in resultado) for resultado in respuestas}
    assert len(folios) == 1 and all(folios.pop())


def test_la_jornada_sin_conexion_de_la_demo_se_siembra_una_sola_vez(
    operadora, localidad, nuevo_caso
):
    from casos.models import Modulo
    from demo.campo import PERSONAS, sembrar_jornada_sin_conexion

    nuevo_caso(telefono="+523912345678")
    ayer = timezone.localdate() - timedelta(days=1)
    jornada = Modulo.objects.create(
        nombre="Módulo Milpillas", lugar="Delegación", localidad=localidad, fecha=ayer
    )
    primera = sembrar_jornada_sin_conexion({"operadora": operadora})
    segunda = sembrar_jornada_sin_conexion({"operadora": operadora})
    assert primera["rechazadas"] == [] and primera["recibidas"] == len(PERSONAS)
    assert primera["por_decidir"] == 1
    assert segunda["recibidas"] == primera["recibidas"]
    assert CapturaDeCampo.objects.count() == len(PERSONAS) + 1
    assert Caso.objects.filter(modulo=jornada).count() == len(PERSONAS)
    horas = sorted(timezone.localtime(c.capturado_en).hour for c in CapturaDeCampo.objects.all())
    assert horas[0] == 9 and horas[-1] < 13
    assert all(
        timezone.localtime(c.capturado_en).date() == ayer for c in CapturaDeCampo.objects.all()
    )


def test_el_service_worker_y_el_manifiesto_sirven_para_instalar_la_pagina(client, operadora):
    from django.contrib.staticfiles import finders

    manifiesto = client.get(reverse("modulos:manifiesto")).json()  # sin sesión: público
    assert manifiesto["start_url"] == manifiesto["scope"] == "/modulos/"
    assert manifiesto["lang"] == "es-MX" and manifiesto["display"] == "standalone"
    for icono in manifiesto["icons"]:
        assert finders.find(icono["src"].removeprefix("/static/"))
    client.force_login(operadora)
    sw = client.get(reverse("modulos:service_worker"))
    assert sw["Content-Type"].startswith("application/javascript")
    texto = sw.content.decode()
    for url in ("/modulos/", "/modulos/catalogos.json", "/static/modulos/campo.js"):
        assert f'"{url}' in texto
    assert "Sin conexión" in texto
    # Lo que el equipo captura nunca pasa por el caché: solo GET.
    assert 'peticion.method !== "GET"' in texto


def test_un_lote_demasiado_grande_se_rechaza_entero_en_json(client, operadora, jornada, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    client.force_login(operadora)
    lote = [renglon(jornada, nombre=f"Persona {n}") for n in range(20)]
    respuesta = client.post(
        reverse("modulos:sincronizar"), json.dumps({"capturas": lote}), "application/json"
    )
    assert respuesta.status_code == 413
    assert "sincronice por partes" in respuesta.json()["error"]
    assert not Caso.objects.exists()
