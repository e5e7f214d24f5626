import re

import pytest
from django.urls import reverse

from casos.models import AccesoExpediente, Caso, Categoria, Localidad, TipoCaso, TipoEvento


def datos_llamada(**extra):
    datos = {
        "tipo": "MED",
        "categoria": Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first().pk,
        "localidad": Localidad.objects.first().pk,
        "nombre": "Guadalupe Aceves Ramos",
        "telefono": "33 1234 5678",
        "resumen": "El vecino construyó una barda que invade su terreno.",
        "otra_nombre": "Ramón Íñiguez",
        "otra_domicilio": "Calle Morelos 45",
        "aviso": "on",
    }
    datos.update(extra)
    return datos


def test_la_operadora_crea_un_caso_y_ve_folio_y_codigo(cliente_de, operadora):
    cliente = cliente_de(operadora)
    assert cliente.get(reverse("casos:nueva")).status_code == 200
    respuesta = cliente.post(reverse("casos:nueva"), datos_llamada(), follow=True)
    caso = Caso.objects.get()
    assert respuesta.redirect_chain[-1][0] == reverse("casos:recibida", args=[caso.folio])
    html = respuesta.content.decode()
    assert caso.folio in html
    codigo = re.search(r'id="codigo">([0-9A-Z]{5}-[0-9A-Z]{5})<', html).group(1)
    assert caso.capturado_por == operadora
    assert caso.partes.get(rol="solicitante").telefono == "+523312345678"
    # El código mostrado es el que funciona en la consulta pública.
    consulta = cliente.post(reverse("portal:consulta"), {"folio": caso.folio, "codigo": codigo})
    assert consulta.status_code == 200


def test_la_pantalla_del_codigo_solo_se_ve_en_la_sesion_que_lo_creo(
    client, cliente_de, operadora, nuevo_caso
):
    caso = nuevo_caso(actor=operadora).caso  # lo capturó ella, pero en otra sesión
    cliente = cliente_de(operadora)
    assert cliente.get(reverse("casos:recibida", args=[caso.folio])).status_code == 404


def test_tras_reexpedir_la_sesion_vieja_ya_no_ve_el_codigo(cliente_de, operadora):
    from casos.services import reexpedir_codigo

    cliente = cliente_de(operadora)
    cliente.post(reverse("casos:nueva"), datos_llamada())
    caso = Caso.objects.get()
    url = reverse("casos:recibida", args=[caso.folio])
    assert cliente.get(url).status_code == 200
    reexpedir_codigo(caso=caso, actor=operadora)
    assert cliente.get(url).status_code == 404


def test_el_codigo_deja_de_mostrarse_tras_media_hora(cliente_de, operadora):
    import time_machine
    from django.utils import timezone

    cliente = cliente_de(operadora)
    cliente.post(reverse("casos:nueva"), datos_llamada())
    url = reverse("casos:recibida", args=[Caso.objects.get().folio])
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        assert cliente.get(url).status_code == 404


def test_errores_junto_al_campo_sin_perder_lo_escrito(cliente_de, operadora):
    cliente = cliente_de(operadora)
    respuesta = cliente.post(
        reverse("casos:nueva"),
        datos_llamada(telefono="12", otra_nombre="", otra_domicilio="", aviso=""),
    )
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "Guadalupe Aceves Ramos" in html
    assert "El vecino construyó una barda" in html
    assert "no es un teléfono válido" in html or "Escriba un teléfono válido" in html
    assert "aceptar el aviso de privacidad" in html
    assert 'aria-invalid="true"' in html
    assert not Caso.objects.exists()


def test_errores_de_dominio_se_muestran_en_el_campo(cliente_de, operadora):
    respuesta = cliente_de(operadora).post(
        reverse("casos:nueva"), datos_llamada(otra_nombre="", otra_domicilio="")
    )
    assert respuesta.status_code == 400
    assert "nombre de la otra parte" in respuesta.content.decode()


def test_telefono_con_casos_abiertos_muestra_posible_duplicado_antes_de_guardar(
    cliente_de, operadora, nuevo_caso
):
    existente = nuevo_caso(telefono="+523312345678").caso
    cliente = cliente_de(operadora)
    respuesta = cliente.post(reverse("casos:nueva"), datos_llamada())
    html = respuesta.content.decode()
    assert existente.folio in html
    assert "ya tiene 1 caso abierto" in html
    assert Caso.objects.count() == 1
    assert 'name="telefono_revisado" value="+523312345678"' in html


def test_ligar_la_llamada_al_caso_existente_no_crea_otro(cliente_de, operadora, nuevo_caso):
    existente = nuevo_caso(telefono="+523312345678").caso
    respuesta = cliente_de(operadora).post(
        reverse("casos:nueva"),
        datos_llamada(
            telefono_revisado="+523312345678", accion="contacto", caso_existente=existente.folio
        ),
    )
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("casos:detalle", args=[existente.folio])
    assert Caso.objects.count() == 1
    contacto = existente.eventos.get(tipo=TipoEvento.CONTACTO)
    assert "barda" in contacto.datos["nota"]
    assert contacto.descripcion.startswith("Nuevo contacto de la persona solicitante")


def test_si_llama_la_otra_parte_el_contacto_lo_dice(cliente_de, operadora, nuevo_caso):
    from casos import services

    existente = nuevo_caso(
        telefono="+523399990000",
        otra_parte=services.DatosPersona(nombre="Pedro López", telefono="+523312345678"),
    ).caso
    cliente_de(operadora).post(
        reverse("casos:nueva"),
        datos_llamada(
            telefono_revisado="+523312345678", accion="contacto", caso_existente=existente.folio
        ),
    )
    contacto = existente.eventos.get(tipo=TipoEvento.CONTACTO)
    assert contacto.descripcion.startswith("Nuevo contacto de la otra parte")


def test_tras_el_aviso_de_duplicado_hay_que_elegir_que_hacer(cliente_de, operadora, nuevo_caso):
    nuevo_caso(telefono="+523312345678")
    respuesta = cliente_de(operadora).post(
        reverse("casos:nueva"), datos_llamada(telefono_revisado="+523312345678")
    )
    assert respuesta.status_code == 400
    assert "Elija qué hacer con esta llamada" in respuesta.content.decode()
    assert Caso.objects.count() == 1


def test_cambiar_el_telefono_tras_revisar_vuelve_a_revisar(cliente_de, operadora, nuevo_caso):
    nuevo_caso(telefono="+523312345678")
    otro = nuevo_caso(telefono="+523398765432").caso
    respuesta = cliente_de(operadora).post(
        reverse("casos:nueva"),
        datos_llamada(telefono="33 9876 5432", telefono_revisado="+523312345678", accion="nuevo"),
    )
    assert otro.folio in respuesta.content.decode()
    assert Caso.objects.count() == 2


def test_crear_nuevo_ligado_al_existente(cliente_de, operadora, nuevo_caso):
    existente = nuevo_caso(telefono="+523312345678").caso
    cliente_de(operadora).post(
        reverse("casos:nueva"),
        datos_llamada(
            telefono_revisado="+523312345678", accion="nuevo_ligado", caso_existente=existente.folio
        ),
    )
    nuevo = Caso.objects.exclude(pk=existente.pk).get()
    assert nuevo.caso_anterior == existente


def test_no_se_puede_ligar_a_un_caso_de_otro_telefono(cliente_de, operadora, nuevo_caso):
    nuevo_caso(telefono="+523312345678")
    otro = nuevo_caso(telefono="+523398765432").caso
    respuesta = cliente_de(operadora).post(
        reverse("casos:nueva"),
        datos_llamada(
            telefono_revisado="+523312345678", accion="contacto", caso_existente=otro.folio
        ),
    )
    assert respuesta.status_code == 400
    assert not otro.eventos.filter(tipo=TipoEvento.CONTACTO).exists()


def test_captura_en_modulo_exige_y_cuenta_el_modulo(cliente_de, asesor, modulo):
    cliente = cliente_de(asesor)
    sin_modulo = cliente.post(reverse("casos:nueva_modulo"), datos_llamada())
    assert sin_modulo.status_code == 400
    cliente.post(reverse("casos:nueva_modulo"), datos_llamada(modulo=modulo.pk))
    caso = Caso.objects.get()
    assert caso.canal == "modulo" and caso.modulo == modulo


def test_casos_por_telefono_para_el_aviso_temprano(cliente_de, operadora, nuevo_caso):
    caso = nuevo_caso(telefono="+523312345678").caso
    datos = (
        cliente_de(operadora)
        .get(reverse("casos:por_telefono"), {"telefono": "33 1234 5678"})
        .json()
    )
    assert [c["folio"] for c in datos["casos"]] == [caso.folio]
    assert datos["casos"][0]["categoria"] == caso.categoria.nombre
    assert datos["casos"][0]["otra_parte"] == "Pedro López"
    assert AccesoExpediente.objects.filter(
        caso=caso, usuario=operadora, vista="posible_duplicado"
    ).exists()


def test_el_aviso_de_duplicado_distingue_cada_caso_por_categoria_y_otra_parte(
    cliente_de, operadora, nuevo_caso
):
    from casos import services

    vecinos = ("Pedro López", "Rosa Díaz", "Luis Ortega", "Marta Gil")
    ruido = [
        nuevo_caso(otra_parte=services.DatosPersona(nombre=nombre, domicilio="Calle Juárez 3")).caso
        for nombre in vecinos
    ]
    respuesta = cliente_de(operadora).post(reverse("casos:nueva"), datos_llamada())
    html = respuesta.content.decode()
    assert "ya tiene 4 casos abiertos" in html
    for caso, nombre in zip(ruido, vecinos, strict=True):
        assert f"{caso.folio} — {caso.categoria.nombre}, con {nombre}" in html
    # Solo el resumen: ni el relato ni el domicilio de la otra parte.
    assert "alto volumen" not in html and "Calle Juárez" not in html
    vistos = AccesoExpediente.objects.filter(usuario=operadora, vista="posible_duplicado")
    assert {a.caso_id for a in vistos} == {c.pk for c in ruido}


@pytest.mark.parametrize(
    "texto",
    ["folio", "iñiguez", "INIGUEZ", "josé", "jose iniguez", "PÉREZ", "33 1111 2222", "11112222"],
)
def test_buscar_por_folio_nombre_sin_acentos_o_telefono(
    cliente_de, coordinadora, nuevo_caso, texto
):
    caso = nuevo_caso(nombre="José Íñiguez Pérez", telefono="+523311112222").caso
    nuevo_caso(nombre="Otra Persona", telefono="+523399998888")
    texto = caso.folio.lower() if texto == "folio" else texto
    respuesta = cliente_de(coordinadora).get(reverse("casos:buscar"), {"q": texto}, follow=True)
    html = respuesta.content.decode()
    assert caso.folio in html
    assert "Otra Persona" not in html


def test_el_expediente_muestra_partes_linea_de_tiempo_y_registra_el_acceso(
    cliente_de, mediador, nuevo_caso, operadora
):
    caso = nuevo_caso(actor=operadora).caso
    Caso.objects.filter(pk=caso.pk).update(responsable=mediador)
    html = cliente_de(mediador).get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert "Pedro López" in html and "33 1234 5678" in html
    assert "Solicitud de mediación recibida por línea telefónica" in html
    assert "Operadora" in html
    assert AccesoExpediente.objects.filter(caso=caso, usuario=mediador).exists()


def test_reexpedir_codigo_muestra_el_nuevo_una_vez(cliente_de, operadora, nuevo_caso):
    caso = nuevo_caso(actor=operadora).caso
    respuesta = cliente_de(operadora).post(
        reverse("casos:reexpedir_codigo", args=[caso.folio]), {"confirmar": "si"}
    )
    assert respuesta.status_code == 200
    assert "el anterior ya no funciona" in respuesta.content.decode()


@pytest.mark.parametrize("metodo", ["get", "post"])
def test_reexpedir_codigo_pregunta_primero_y_sin_confirmar_no_cambia_nada(
    cliente_de, operadora, nuevo_caso, metodo
):
    caso = nuevo_caso(actor=operadora).caso
    antes = caso.codigo_sal
    url = reverse("casos:reexpedir_codigo", args=[caso.folio])
    respuesta = getattr(cliente_de(operadora), metodo)(url)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "¿Reexpedir el código de consulta de" in html and "Sí, emitir un código nuevo" in html
    caso.refresh_from_db()
    assert caso.codigo_sal == antes


def test_los_ultimos_digitos_del_telefono_encuentran_a_quien_llama(
    cliente_de, operadora, nuevo_caso
):
    caso = nuevo_caso(actor=operadora, telefono="+523312345678").caso
    otro = nuevo_caso(actor=operadora, telefono="+523398760000").caso
    html = cliente_de(operadora).get(reverse("casos:buscar"), {"q": "5678"}).content.decode()
    assert caso.folio in html and otro.folio not in html


def test_la_bandeja_de_busqueda_no_crece_en_consultas(
    cliente_de, coordinadora, nuevo_caso, django_assert_max_num_queries
):
    for _ in range(30):
        nuevo_caso()
    cliente = cliente_de(coordinadora)
    with django_assert_max_num_queries(12):
        assert cliente.get(reverse("casos:buscar")).status_code == 200


def test_la_captura_por_telefono_guarda_el_domicilio_de_quien_solicita(cliente_de, operadora):
    cliente_de(operadora).post(
        reverse("casos:nueva"), datos_llamada(domicilio="Calle Allende 8, Centro")
    )
    assert Caso.objects.get().solicitante.domicilio == "Calle Allende 8, Centro"


def test_quien_lleva_el_caso_corrige_el_domicilio_y_el_expediente_dice_antes_y_ahora(
    cliente_de, coordinadora, nuevo_caso
):
    caso = nuevo_caso().caso
    invitada = caso.partes.get(rol="invitada")
    cliente = cliente_de(coordinadora)
    url = reverse("casos:datos_parte", args=[caso.folio, invitada.pk])
    assert "Calle Hidalgo 12" in cliente.get(url).content.decode()
    respuesta = cliente.post(
        url, {"domicilio": "Calle Hidalgo 14, Col. Centro", "telefono": "33 2222 1111"}
    )
    assert respuesta.status_code == 302
    invitada.refresh_from_db()
    assert invitada.domicilio == "Calle Hidalgo 14, Col. Centro"
    assert invitada.telefono == "+523322221111"
    evento = caso.eventos.get(tipo=TipoEvento.DATOS_PARTE)
    assert evento.actor == coordinadora
    assert evento.datos["anteriores"]["domicilio"] == "Calle Hidalgo 12"
    pagina = cliente.get(reverse("casos:detalle", args=[caso.folio])).content.decode()
    assert "<del>Calle Hidalgo 12</del> → <ins>Calle Hidalgo 14, Col. Centro</ins>" in pagina
    assert AccesoExpediente.objects.filter(caso=caso, vista="datos_parte").exists()


def test_datos_de_parte_mal_escritos_vuelven_con_el_error_y_lo_escrito(
    cliente_de, coordinadora, nuevo_caso
):
    caso = nuevo_caso().caso
    invitada = caso.partes.get(rol="invitada")
    respuesta = cliente_de(coordinadora).post(
        reverse("casos:datos_parte", args=[caso.folio, invitada.pk]),
        {"domicilio": "Calle Nueva 1", "correo": "no-es-correo", "telefono": "12"},
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert "Escriba un correo válido" in html and "Calle Nueva 1" in html
    invitada.refresh_from_db()
    assert invitada.domicilio == "Calle Hidalgo 12"


def test_la_parte_de_otro_caso_no_se_corrige_por_este_folio(cliente_de, coordinadora, nuevo_caso):
    caso, otro = nuevo_caso().caso, nuevo_caso().caso
    url = reverse("casos:datos_parte", args=[caso.folio, otro.partes.first().pk])
    assert cliente_de(coordinadora).get(url).status_code == 404


def test_el_expediente_ofrece_corregir_datos_solo_a_quien_actua(
    cliente_de, coordinadora, direccion, nuevo_caso
):
    caso = nuevo_caso().caso
    url = reverse("casos:detalle", args=[caso.folio])
    assert "Corregir datos de Pedro López" in cliente_de(coordinadora).get(url).content.decode()
    assert "Corregir datos de" not in cliente_de(direccion).get(url).content.decode()


def test_la_captura_en_modulo_empieza_en_el_modulo_de_hoy_con_su_localidad(
    cliente_de, asesor, modulo
):
    from datetime import timedelta

    from django.utils import timezone

    from casos.models import Modulo

    modulo.fecha = timezone.localdate()
    modulo.save()
    Modulo.objects.create(
        nombre="Módulo de ayer",
        lugar="Plaza",
        localidad=modulo.localidad,
        fecha=modulo.fecha - timedelta(days=1),
    )
    html = cliente_de(asesor).get(reverse("casos:nueva_modulo")).content.decode()
    select = re.search(r'<select name="modulo"[^>]*>', html).group(0)
    assert "autofocus" in select
    assert html.count("autofocus") == 1
    assert re.search(rf'<option value="{modulo.pk}" selected>', html)
    assert re.search(rf'<option value="{modulo.localidad_id}" selected>', html)


def test_con_dos_modulos_hoy_no_se_adivina_cual(cliente_de, asesor, modulo):
    from django.utils import timezone

    from casos.models import Modulo

    modulo.fecha = timezone.localdate()
    modulo.save()
    Modulo.objects.create(
        nombre="Otro", lugar="Plaza", localidad=modulo.localidad, fecha=modulo.fecha
    )
    html = cliente_de(asesor).get(reverse("casos:nueva_modulo")).content.decode()
    assert not re.search(r'<option value="\d+" selected>[^<]*\(\d\d/\d\d/\d{4}\)', html)


def test_cada_dato_obligatorio_lleva_la_marca_que_la_pagina_anuncia(cliente_de, operadora):
    html = cliente_de(operadora).get(reverse("casos:nueva")).content.decode()
    assert "Los campos marcados con * son obligatorios." in html
    for campo in ("id_categoria", "id_localidad", "id_nombre", "id_telefono", "id_resumen"):
        assert re.search(rf'<label[^>]*class="obligatorio"[^>]*for="{campo}"', html) or re.search(
            rf'<label[^>]*for="{campo}"[^>]*class="obligatorio"', html
        ), campo
    assert not re.search(r'<label[^>]*for="id_correo"[^>]*class="obligatorio"', html)
    assert 'class="etiqueta obligatorio" id="tipo-etq"' in html


def test_una_sola_forma_de_decir_que_falta_un_dato(cliente_de, operadora, db):
    from flujos.forms import ConclusionForm, ReaperturaForm

    for form in (ConclusionForm(data={}), ReaperturaForm(data={})):
        form.is_valid()
        for errores in form.errors.values():
            for error in errores:
                assert "requerido" not in error and error != "Este campo es obligatorio."
    respuesta = cliente_de(operadora).post(reverse("casos:nueva"), {"aviso": "on"})
    assert "Este dato es obligatorio." in respuesta.content.decode()
