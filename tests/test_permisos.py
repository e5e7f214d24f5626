"""Cada URL de la aplicación, recorrida por cada rol, por el anónimo y por el ajeno; las que
abren un expediente, además, sobre un caso que es de la persona, uno de otro mediador y uno
sin relación con ella (acceso por necesidad de saber, `casos.acceso`)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from api.services import emitir_token

PERSONAL = {
    "operadora",
    "coordinadora",
    "mediador",
    "mediadora2",
    "asesor",
    "direccion",
    "privacidad",
}
CAPTURA = {"operadora", "coordinadora", "asesor"}
# Quien atiende los derechos ARCO (rol `privacidad`: solo `casos.view_caso` y los de ARCO).
ARCO = {"privacidad"}
CUALQUIERA = PERSONAL | {"ajeno", "anonimo"}
DEL_DOCUMENTO = (
    "plantillas:descargar",
    "plantillas:estado",
    "plantillas:firmado",
    "plantillas:subir_firmado",
)

# nombre de URL -> (método, quién puede, respuesta esperada para quien puede)
MATRIZ = {
    # El personal va a su bandeja; los demás ven la portada.
    "portal:inicio": (
        "get",
        CUALQUIERA,
        {**dict.fromkeys(PERSONAL, 302), "ajeno": 200, "anonimo": 200},
    ),
    "portal:privacidad": ("get", CUALQUIERA, 200),
    "portal:solicitud": ("get", CUALQUIERA, 200),
    "portal:solicitud_enviada": ("get", CUALQUIERA, 302),  # sin solicitud en la sesión
    "portal:consulta": ("get", CUALQUIERA, 200),
    "portal:acuse": ("get", CUALQUIERA, 404),  # sin solicitud en la sesión
    "portal:codigo_perdido": ("get", CUALQUIERA, 200),
    "portal:documento": ("get", CUALQUIERA, 404),  # enlace firmado inválido
    "portal:logo": ("get", CUALQUIERA, 404),  # el centro aún no tiene logotipo
    "plantillas:descargar": ("get", PERSONAL, 202),  # el acuse aún se está generando
    "plantillas:estado": ("get", PERSONAL, 200),
    "plantillas:firmado": ("get", PERSONAL, 404),  # aún no hay ejemplar firmado
    # Sin archivo: vuelve al caso con el mensaje de error.
    "plantillas:subir_firmado": ("post", PERSONAL, 302),
    "plantillas:remisiones": ("get", {"coordinadora"}, 200),
    "plantillas:reloj_registro": ("get", {"coordinadora"}, 200),
    # Sin convenio todavía: se redirige al caso con el mensaje de lo que falta.
    "plantillas:generar": ("post", PERSONAL, 302),
    # Solo quien atiende los derechos ARCO: la descarga de los datos de una persona (un folio
    # que no existe: 404).
    "privacidad:exportacion": ("get", ARCO, 404),
    "login": ("get", CUALQUIERA, 200),
    "logout": ("post", CUALQUIERA, 302),
    # Cuentas: lo propio de cada quien con sesión (también el ajeno, que tiene cuenta).
    "cuentas:mi_cuenta": ("get", PERSONAL | {"ajeno"}, 200),
    "cuentas:contrasena": ("get", PERSONAL | {"ajeno"}, 200),
    "cuentas:contrasena_cambiada": ("get", PERSONAL | {"ajeno"}, 200),
    # Sin segundo paso pendiente, vuelve a su página.
    "cuentas:verificar": ("get", PERSONAL | {"ajeno"}, 302),
    "cuentas:inscribir": ("get", PERSONAL | {"ajeno"}, 200),
    # Sin verificación activa: de vuelta a «Mi cuenta» con el mensaje.
    "cuentas:codigos": ("post", PERSONAL | {"ajeno"}, 302),
    "cuentas:quitar": ("post", PERSONAL | {"ajeno"}, 302),
    # Restablecer la contraseña por correo: sin sesión (el enlace de la prueba no es válido).
    "cuentas:recuperar": ("get", CUALQUIERA, 200),
    "cuentas:recuperar_enviado": ("get", CUALQUIERA, 200),
    "cuentas:restablecer": ("get", CUALQUIERA, 200),
    "cuentas:restablecida": ("get", CUALQUIERA, 200),
    # Accesos del personal: la coordinación; sin cuenta ni conexión elegida, vuelve a la lista.
    "cuentas:accesos": ("get", {"coordinadora"}, 200),
    "cuentas:desbloquear": ("post", {"coordinadora"}, 302),
    "cuentas:reiniciar_factor": ("post", {"coordinadora"}, 302),
    "casos:buscar": ("get", PERSONAL, 200),
    "casos:bitacora": ("get", {"coordinadora", "direccion"}, 200),
    # Sin acceso excepcional por revisar con ese número: 404.
    "casos:revisar_excepcional": ("post", {"coordinadora", "direccion"}, 404),
    # Sin motivo: la misma página con el error (400), sin conceder nada.
    "casos:acceso_excepcional": ("post", PERSONAL, 400),
    # Revelar datos bloqueados: solo quien tiene `casos.ver_datos_bloqueados` (el rol
    # privacidad, que no está en la matriz); el resto del personal recibe 403. Sus casos, en
    # tests/casos/test_bloqueo.py.
    "casos:revelar_bloqueados": ("post", set(), 400),
    "casos:detalle": ("get", PERSONAL, 200),
    "casos:nueva": ("get", CAPTURA, 200),
    "casos:nueva_modulo": ("get", CAPTURA, 200),
    "casos:por_telefono": ("get", CAPTURA, 200),
    "casos:recibida": ("get", CAPTURA, 200),
    # Sin «confirmar»: la página que pide confirmación (200), sin reexpedir nada.
    "casos:reexpedir_codigo": ("post", {"operadora", "coordinadora"}, 200),
    # Corregir los datos de contacto de una parte: quien actúa sobre el caso.
    "casos:datos_parte": ("get", PERSONAL, 200),
    "api:llamante": ("get", PERSONAL, 200),
    "flujos:bandeja": ("get", PERSONAL, 200),
    "flujos:cola": ("get", PERSONAL, 200),
    "flujos:plazos": ("get", {"coordinadora"}, 200),
    # Aplicar las cifras de plazos de hoy a casos abiertos: solo la coordinación.
    "flujos:recalcular_plazos": ("get", {"coordinadora"}, 200),
    # Sobre la tarea «revisar» del caso: la cola de coordinación.
    "flujos:tarea": ("get", {"coordinadora"}, 200),
    "flujos:tomar": ("post", {"coordinadora"}, 302),
    # La tarea «revisar» la tiene la coordinadora: solo ella (dueña y coordinación) la suelta.
    "flujos:soltar": ("post", {"coordinadora"}, 302),
    "flujos:reasignar": ("post", {"coordinadora"}, 302),
    # Acciones sobre el caso: su responsable o la coordinación.
    "flujos:diferir": ("get", PERSONAL, 200),
    "flujos:corregir_hora": ("get", PERSONAL, 200),
    "flujos:prorrogar": ("get", PERSONAL, 200),
    "flujos:concluir": ("get", PERSONAL, 200),
    "flujos:reabrir": ("get", PERSONAL, 200),
    # GET en la misma URL (lista de casos): PERSONAL; cada operación se prueba en tests/api.
    "api:casos": ("post", CAPTURA, 201),
    "api:caso": ("get", PERSONAL, 200),
    "api:mis_tareas": ("get", PERSONAL, 200),
    # Esquema OpenAPI y su documentación: sin datos, públicos.
    "api_esquema": ("get", CUALQUIERA, 200),
    "api_docs": ("get", CUALQUIERA, 200),
    "notificaciones:lista": ("get", {"coordinadora", "direccion"}, 200),
    # El aviso está pendiente (no falló): vuelve al caso con el mensaje.
    "notificaciones:reintentar": ("post", PERSONAL - {"direccion"}, 302),
    # Enlaces públicos con token: uno inválido da su página de error a cualquiera.
    "notificaciones:baja": ("get", CUALQUIERA, 400),
    "encuesta": ("get", CUALQUIERA, 404),
    # Sin TWILIO_AUTH_TOKEN configurado no hay respuestas que recibir.
    "notificaciones:entrante_twilio": ("post", CUALQUIERA, 404),
    "notificaciones:estado_twilio": ("post", CUALQUIERA, 404),
    # Open311: lecturas públicas sin datos personales (el POST pide api_key).
    "open311:descubrimiento": ("get", CUALQUIERA, 200),
    "open311:servicios": ("get", CUALQUIERA, 200),
    "open311:servicio": ("get", CUALQUIERA, 200),
    "open311:solicitudes": ("get", CUALQUIERA, 200),
    "open311:solicitud": ("get", CUALQUIERA, 200),
    # Importar el registro anterior: solo la coordinación (importacion.importar_registros),
    # sobre una importación ya revisada y sin errores.
    "importacion:subir": ("get", {"coordinadora"}, 200),
    "importacion:ejemplo": ("get", {"coordinadora"}, 200),
    "importacion:columnas": ("get", {"coordinadora"}, 200),
    "importacion:vista_previa": ("get", {"coordinadora"}, 200),
    "importacion:importar": ("post", {"coordinadora"}, 302),
    # Aún sin pedir: el resultado manda a la vista previa.
    "importacion:resultado": ("get", {"coordinadora"}, 302),
    "importacion:estado": ("get", {"coordinadora"}, 200),
    "importacion:descartar": ("post", {"coordinadora"}, 302),
    # Agenda (agenda.selectors): cada quien llega a la suya; la de la oficina, quien ve todos
    # los casos y quien recibe a las personas (captura); la de una persona mediadora (aquí,
    # la del «mediador»), ella y quien ve la oficina; las salas, todo el personal. Los
    # nombres, solo de los casos que cada quien puede ver (prueba por pertenencia, abajo).
    # Tablero de la Dirección: Dirección y coordinación; las metas, solo la Dirección. La lista
    # de casos sin cifra pedida es 404 (la cifra existe o no; la política se aplica después).
    "estadistica:tablero": ("get", {"coordinadora", "direccion"}, 200),
    "estadistica:casos": ("get", {"coordinadora", "direccion"}, 404),
    "estadistica:exportar": ("get", {"coordinadora", "direccion"}, 200),
    "estadistica:metas": ("get", {"direccion"}, 200),
    "estadistica:informes": ("get", {"coordinadora", "direccion"}, 200),
    # Transparencia: pública, sin cuenta.
    "transparencia:inicio": ("get", CUALQUIERA, 200),
    "transparencia:json": ("get", CUALQUIERA, 200),
    "transparencia:csv": ("get", CUALQUIERA, 200),
    "transparencia:diccionario": ("get", CUALQUIERA, 200),
    "agenda:inicio": ("get", PERSONAL, 302),
    "agenda:oficina": ("get", {"coordinadora", "direccion", "operadora", "asesor"}, 200),
    # Quien atiende ARCO no ve agendas ajenas: no recibe personas ni ve todos los casos.
    "agenda:mediador": ("get", PERSONAL - {"mediadora2", "privacidad"}, 200),
    "agenda:salas": ("get", PERSONAL, 200),
    "agenda:sala": ("get", PERSONAL, 200),
    # El enlace del calendario propio: crearlo lo muestra una vez (200); quitarlo vuelve (302).
    "agenda:suscripcion": ("get", PERSONAL, 200),
    "agenda:crear_suscripcion": ("post", PERSONAL, 200),
    "agenda:revocar_suscripcion": ("post", PERSONAL, 302),
    # El calendario se lee sin sesión, con el token: uno inválido da 404 a cualquiera.
    "agenda:ical": ("get", CUALQUIERA, 404),
    # Derechos ARCO: el formulario público sin cuenta; su acuse en pantalla, solo en la
    # sesión que la envió (sin ella, de vuelta al formulario).
    "arco:solicitud": ("get", CUALQUIERA, 200),
    "arco:enviada": ("get", CUALQUIERA, 302),
    # Las del personal: quien atiende ARCO; la captura, también quien captura solicitudes.
    "privacidad:lista": ("get", ARCO, 200),
    "privacidad:detalle": ("get", ARCO, 200),
    "privacidad:nueva": ("get", ARCO | CAPTURA, 200),
    # Sin la captura en la sesión no se ve el código: 404.
    "privacidad:recibida": ("get", ARCO | CAPTURA, 404),
    # Avisos comunitarios: la coordinación administra listas y contactos y envía; la Dirección
    # ve los avisos y sus cifras (sin nombres ni teléfonos). Darse de baja o de alta vuelve a
    # la ficha del contacto.
    "comunidad:inicio": ("get", {"coordinadora", "direccion"}, 200),
    "comunidad:aviso": ("get", {"coordinadora", "direccion"}, 200),
    "comunidad:aviso_nuevo": ("get", {"coordinadora"}, 200),
    "comunidad:lista_nueva": ("get", {"coordinadora"}, 200),
    "comunidad:lista": ("get", {"coordinadora"}, 200),
    "comunidad:contactos": ("get", {"coordinadora"}, 200),
    "comunidad:contacto_nuevo": ("get", {"coordinadora"}, 200),
    "comunidad:contacto": ("get", {"coordinadora"}, 200),
    "comunidad:contacto_baja": ("post", {"coordinadora"}, 302),
    "comunidad:contacto_alta": ("post", {"coordinadora"}, 302),
    # Módulo itinerante sin conexión: quien captura por módulo. Sin password: 400; sin lote: 400;
    # el formato en papel, la primera vez, se está generando (202). El manifiesto no tiene
    # datos y el navegador lo pide sin la sesión: público.
    "modulos:pagina": ("get", CAPTURA, 200),
    "modulos:catalogos": ("get", CAPTURA, 200),
    "modulos:service_worker": ("get", CAPTURA, 200),
    "modulos:manifiesto": ("get", CUALQUIERA, 200),
    "modulos:contrasena": ("post", CAPTURA, 400),
    "modulos:sincronizar": ("post", CAPTURA, 400),
    "modulos:hoy": ("get", CAPTURA, 200),
    "modulos:por_decidir": ("get", CAPTURA, 200),
    "modulos:formato": ("get", CAPTURA, 202),
    # La salud: pública y sin datos; sin latidos de workers en la prueba, 503 (falla).
    "salud": ("get", CUALQUIERA, 503),
}


# Las URL que abren un expediente: qué necesita la persona sobre ese caso, además de su rol.
# «ver»: que el caso sea de su alcance; «actuar»: llevarlo o ser de la coordinación.
NECESITA = {
    "casos:detalle": "ver",
    "casos:recibida": "ver",
    "casos:reexpedir_codigo": "ver",
    "casos:datos_parte": "actuar",
    "api:caso": "ver",
    "plantillas:descargar": "ver",
    "plantillas:estado": "ver",
    "plantillas:firmado": "ver",
    "plantillas:subir_firmado": "actuar",
    "plantillas:generar": "actuar",
    "flujos:diferir": "actuar",
    "flujos:corregir_hora": "actuar",
    "flujos:prorrogar": "actuar",
    "flujos:concluir": "actuar",
    "flujos:reabrir": "actuar",
    "notificaciones:reintentar": "actuar",
}
# Las páginas de la importación no abren ningún expediente (la del resultado da folios y
# estados, sin datos personales): no van en NECESITA; su permiso es el de importar.
VEN_CUALQUIER_CASO = {"coordinadora", "direccion"}
MEDIADORES = {"mediador", "mediadora2"}
PERTENENCIAS = ("propio", "de_otro_mediador", "ajeno")


def _relacionar(caso, quien: str, pertenencia: str, personas) -> None:
    """Hace el caso «propio» de la persona (lo lleva, si es mediadora; lo capturó, si no),
    «de otro mediador» (lo lleva otra persona mediadora) o lo deja sin relación."""
    from casos.models import Caso

    if pertenencia == "propio" and quien in MEDIADORES:
        Caso.objects.filter(pk=caso.pk).update(responsable=personas[quien])
    elif pertenencia == "propio" and quien in personas:
        Caso.objects.filter(pk=caso.pk).update(capturado_por=personas[quien])
    elif pertenencia == "de_otro_mediador":
        otro = "mediador" if quien == "mediadora2" else "mediadora2"
        Caso.objects.filter(pk=caso.pk).update(responsable=personas[otro])
    caso.refresh_from_db()


def _esperado_por_caso(nombre: str, quien: str, pertenencia: str, esperado: int) -> int:
    """Lo que debe responder una URL de expediente según la relación con el caso."""
    ve = quien in VEN_CUALQUIER_CASO or pertenencia == "propio"
    actua = quien == "coordinadora" or (pertenencia == "propio" and quien in MEDIADORES)
    return esperado if (actua if NECESITA[nombre] == "actuar" else ve) else 403


def _nombres(resolver=None, prefijo=""):
    resolver = resolver or get_resolver()
    for patron in resolver.url_patterns:
        if isinstance(patron, URLResolver):
            if patron.namespace == "admin":
                continue  # el admin de Django exige is_staff; se prueba aparte
            if patron.namespace == "oficina":
                continue  # cada URL del sitio, por persona: tests/oficina/test_oficina.py
            espacio = f"{prefijo}{patron.namespace}:" if patron.namespace else prefijo
            yield from _nombres(patron, espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield f"{prefijo}{patron.name}"


def test_la_matriz_cubre_todas_las_urls():
    nombres = {n for n in _nombres() if n != "serve"}
    assert nombres == set(MATRIZ), "Agregue la URL nueva a MATRIZ con quién puede usarla"


@pytest.fixture
def personas(
    operadora, coordinadora, mediador, otro_mediador, asesor, direccion, privacidad, ajeno
):
    return {
        u.username: u
        for u in (
            operadora,
            coordinadora,
            mediador,
            otro_mediador,
            asesor,
            direccion,
            privacidad,
            ajeno,
        )
    }


@pytest.fixture(autouse=True)
def _archivos_en_temporal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _importacion_revisada() -> int:
    """Una importación de un renglón, revisada y lista (la sube la coordinadora)."""
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from importacion import services

    coordinadora = User.objects.get(username="coordinadora")
    contenido = (
        "Tipo,Fecha,Categoría,Localidad,Asunto,Nombre,Estado,Fecha de conclusión\r\n"
        "ASE,01/02/2025,Orientación jurídica general,Milpillas,Una duda,Ana,Resuelta,03/02/2025\r\n"
    ).encode()
    importacion = services.subir(
        archivo=SimpleUploadedFile("registro.csv", contenido), actor=coordinadora
    )
    importacion = services.relacionar_columnas(
        importacion=importacion, columnas=importacion.columnas, actor=coordinadora
    )
    assert importacion.estado == "lista", importacion.errores
    return importacion.pk


def _tomada_por(pk, usuario):
    """Deja la tarea asignada a `usuario` (cada persona la encuentra igual)."""
    from flujos import tareas

    task = Task.objects.get(pk=pk)
    if task.owner_id != usuario.pk:
        if task.owner_id:
            tareas.soltar(task=task, usuario=task.owner)
        tareas.tomar(task=Task.objects.get(pk=pk), usuario=usuario)


def test_soltar_la_devuelve_a_la_cola_y_quien_no_puede_recibe_403(client, personas, nuevo_caso):
    caso = nuevo_caso().caso
    task = Task.objects.get(flow_task_type="HUMAN", process__artifact_object_id=caso.pk)
    _tomada_por(task.pk, personas["coordinadora"])
    client.force_login(personas["mediador"])
    assert client.post(reverse("flujos:soltar", args=[task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.owner_id == personas["coordinadora"].pk
    client.force_login(personas["coordinadora"])
    assert client.post(reverse("flujos:soltar", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.owner_id is None


def _cuerpo_api():
    from casos.models import Categoria, Localidad

    return {
        "tipo": "ASE",
        "categoria": Categoria.objects.filter(tipo="ASE").first().pk,
        "localidad": Localidad.objects.first().pk,
        "resumen": "Pregunta por un trámite.",
        "solicitante": {"nombre": "Persona", "telefono": "33 1234 0000"},
        "aviso_aceptado": True,
        # Cada persona da de alta el mismo teléfono: desde la segunda hay un caso abierto.
        "decision_duplicado": "nuevo",
    }


# URL cuyos argumentos no dependen del caso de la prueba (enlaces no válidos y similares).
ARGUMENTOS_FIJOS = {
    **dict.fromkeys(
        ("notificaciones:baja", "encuesta", "portal:documento", "agenda:ical"), ["no-valido"]
    ),
    "casos:revisar_excepcional": [999999],
    "privacidad:exportacion": ["ARCO-2026-99999"],
    "cuentas:restablecer": ["MQ", "enlace-no-valido"],
    "importacion:ejemplo": ["xlsx"],
    "estadistica:exportar": ["resumen", "csv"],
    "transparencia:json": [2000],
    "transparencia:csv": [2000, "recibidas_por_mes"],
}


def _solicitud_arco():
    """Una solicitud ARCO recibida por el formulario público (la misma para cada persona)."""
    from casos.models import SolicitudARCO
    from casos.services.privacidad import recibir_solicitud_arco

    existente = SolicitudARCO.objects.first()
    if existente is not None:
        return existente
    return recibir_solicitud_arco(
        derecho="acceso",
        canal="web",
        nombre="Titular de la matriz",
        medio_respuesta="oficina",
        descripcion="Quiero saber qué datos míos tienen.",
    ).solicitud


def _aviso_comunitario():
    """Una lista con un contacto y un aviso enviado a ella (los mismos para cada persona)."""
    from django.contrib.auth.models import User

    from casos.models import AvisoPrivacidad, Localidad
    from comunidad import services
    from comunidad.models import AvisoComunitario

    existente = AvisoComunitario.objects.first()
    if existente is not None:
        return existente
    coordinadora = User.objects.get(username="coordinadora")
    lista = services.crear_lista(nombre="Lista de la matriz", localidad=Localidad.objects.first())
    services.registrar_contacto(
        nombre="Contacto de la matriz",
        telefono="3912223344",
        canal="sms",
        localidad=lista.localidad,
        actor=coordinadora,
        listas=[lista],
        consentimiento={
            "fecha": timezone.localdate(),
            "forma": "escrito",
            "aviso": AvisoPrivacidad.vigente(),
        },
    )
    return services.enviar_aviso(texto="Aviso de la matriz", listas=[lista], actor=coordinadora)


def _argumentos_comunidad(nombre: str) -> list:
    if nombre == "comunidad:aviso":
        return [_aviso_comunitario().pk]
    if nombre == "comunidad:lista":
        return [_aviso_comunitario().listas.get().pk]
    if nombre in ("comunidad:contacto", "comunidad:contacto_baja", "comunidad:contacto_alta"):
        return [_aviso_comunitario().listas.get().contactos.get().pk]
    return []


def _argumentos(nombre: str, caso) -> list:
    """Los argumentos de la URL `nombre` sobre el caso de la prueba."""
    con_folio = (
        "casos:detalle",
        "api:caso",
        "casos:recibida",
        "casos:reexpedir_codigo",
        "flujos:diferir",
        "flujos:corregir_hora",
        "flujos:prorrogar",
        "flujos:concluir",
        "flujos:reabrir",
        "casos:acceso_excepcional",
        "casos:revelar_bloqueados",
    )
    con_tarea = ("flujos:tarea", "flujos:tomar", "flujos:soltar", "flujos:reasignar")
    if nombre in con_folio:
        return [caso.folio]
    if nombre in con_tarea:
        return [Task.objects.get(flow_task_type="HUMAN", process__artifact_object_id=caso.pk).pk]
    if nombre == "casos:datos_parte":
        return [caso.folio, caso.partes.first().pk]
    if nombre == "plantillas:generar":
        return [caso.folio, "convenio"]
    if nombre in DEL_DOCUMENTO:
        from plantillas.models import Documento

        return [Documento.objects.get(caso=caso).pk]
    if nombre == "notificaciones:reintentar":
        from notificaciones.models import Mensaje

        return [Mensaje.objects.filter(caso=caso).first().pk]
    if nombre == "agenda:mediador":
        from django.contrib.auth.models import User

        return [User.objects.get(username="mediador").pk]
    if nombre == "agenda:sala":
        from casos.models import Sala

        return [Sala.objects.get_or_create(nombre="Sala de la matriz")[0].pk]
    if nombre in ("privacidad:detalle", "privacidad:recibida"):
        return [_solicitud_arco().folio]
    if nombre.startswith("comunidad:"):
        return _argumentos_comunidad(nombre)
    if nombre in ARGUMENTOS_FIJOS:
        return ARGUMENTOS_FIJOS[nombre]
    if nombre.startswith("importacion:") and nombre != "importacion:subir":
        return [_importacion_revisada()]
    if nombre == "open311:servicio":
        return [f"{caso.tipo}-{caso.categoria_id}"]
    if nombre == "open311:solicitud":
        from open311.identificadores import identificador_de

        return [identificador_de(caso.folio)]
    return []


CASOS_DE_LA_MATRIZ = [
    (nombre, pertenencia)
    for nombre in sorted(MATRIZ)
    for pertenencia in (PERTENENCIAS if nombre in NECESITA else (None,))
]


def test_cada_url_de_expediente_se_prueba_sobre_cada_pertenencia():
    assert set(NECESITA) <= set(MATRIZ)
    assert {n for n, p in CASOS_DE_LA_MATRIZ if p} == set(NECESITA)


@pytest.mark.parametrize(("nombre", "pertenencia"), CASOS_DE_LA_MATRIZ)
def test_cada_url_permite_solo_a_quien_debe(client, personas, nuevo_caso, nombre, pertenencia):
    metodo, permitidos, esperado = MATRIZ[nombre]
    caso = nuevo_caso().caso
    for quien in sorted(CUALQUIERA):
        if pertenencia is not None:
            caso = nuevo_caso().caso  # un caso nuevo por persona: su relación con él
            _relacionar(caso, quien, pertenencia, personas)
        codigo, respuesta = _pedir(client, nombre, metodo, caso, quien, personas)
        es_api = nombre.startswith("api:")
        donde = f"{quien} en {nombre} ({pertenencia or 'sin caso'})"
        if quien in permitidos:
            debe = esperado[quien] if isinstance(esperado, dict) else esperado
            if pertenencia is not None:
                debe = _esperado_por_caso(nombre, quien, pertenencia, debe)
            assert codigo == debe, f"{donde}: {codigo}, se esperaba {debe}"
        elif es_api:
            assert codigo == (401 if quien == "anonimo" else 403), f"{donde}: {codigo}"
        elif quien == "anonimo":
            assert codigo == 302 and respuesta["Location"].startswith(reverse("login")), donde
        else:
            assert codigo == 403, f"{donde}: NO debería poder y recibió {codigo}"


def _pedir(client, nombre, metodo, caso, quien, personas):
    from casos.views import RECIENTES

    argumentos = _argumentos(nombre, caso)
    url = reverse(nombre, args=argumentos)
    es_api = nombre.startswith("api:")
    client.logout()
    extra = {}
    if quien != "anonimo":
        usuario = personas[quien]
        if es_api:
            extra["HTTP_AUTHORIZATION"] = "Bearer " + emitir_token(nombre="t", usuario=usuario)
        else:
            client.force_login(usuario)
            sesion = client.session
            sesion[RECIENTES] = [
                {
                    "folio": caso.folio,
                    "emitido": caso.codigo_emitido_en.isoformat(),
                    "visto": timezone.now().isoformat(),
                }
            ]
            sesion.save()
    if nombre == "flujos:soltar":
        _tomada_por(argumentos[0], personas["coordinadora"])
    if nombre == "api:casos":
        respuesta = client.post(url, _cuerpo_api(), content_type="application/json", **extra)
    elif nombre == "api:llamante":
        respuesta = client.get(url, {"telefono": "3312345678"}, **extra)
    elif nombre == "flujos:reasignar":
        respuesta = client.post(url, {"usuario": personas["coordinadora"].pk})
    else:
        respuesta = getattr(client, metodo)(url, **extra)
    return respuesta.status_code, respuesta


def test_el_admin_solo_para_personal_con_is_staff(client, coordinadora, ajeno):
    client.force_login(ajeno)
    assert client.get("/admin/").status_code == 302
    coordinadora.is_staff = True
    coordinadora.save()
    client.force_login(coordinadora)
    assert client.get("/admin/casos/caso/").status_code == 200
    assert client.get("/admin/casos/caso/add/").status_code == 403
    # Los catálogos ya no están en /admin/: se administran en /oficina/ (tests/oficina/).
    assert client.get("/admin/casos/localidad/").status_code == 404


@pytest.mark.parametrize("pertenencia", PERTENENCIAS)
def test_la_agenda_de_la_sala_muestra_nombres_solo_a_quien_ve_el_caso(
    client, personas, nuevo_caso, reloj, pertenencia
):
    """La agenda de la sala la abre todo el personal; los nombres de las partes, solo quien
    puede ver ese caso (coordinación y dirección, o si es «propio»); el resto, el folio."""
    from datetime import date

    from casos.models import PerfilMediador, RespuestaInvitacion, Sala
    from tests.casos.etapas import admitido, con_sesion, en, invitado
    from tests.conftest import con_horario

    # Con horario: las sesiones se programan dentro del horario de la sala.
    sala = con_horario(Sala.objects.create(nombre="Sala de la agenda"))
    for quien in sorted(PERSONAL):
        caso = nuevo_caso(nombre=f"Amalia Reservada {quien}").caso
        if pertenencia == "propio" and quien in MEDIADORES:
            facilita = personas[quien]
        else:
            facilita = personas["mediadora2" if quien == "mediador" else "mediador"]
        PerfilMediador.objects.get_or_create(
            usuario=facilita,
            defaults={"numero_certificacion": "IJA-1", "certificado_hasta": date(2029, 12, 31)},
        )
        admitido(caso, personas["coordinadora"], facilita)
        invitado(caso, facilita, respuesta=RespuestaInvitacion.SIN_RESPUESTA)
        con_sesion(caso, facilita, sala, en(date(2026, 11, 25), 10))
        if pertenencia == "propio" and quien not in MEDIADORES:
            _relacionar(caso, quien, pertenencia, personas)
        client.force_login(personas[quien])
        html = client.get(
            reverse("agenda:sala", args=[sala.pk]), {"fecha": "2026-11-25"}
        ).content.decode()
        ve = quien in VEN_CUALQUIER_CASO or pertenencia == "propio"
        assert caso.folio in html, quien
        assert (f"Amalia Reservada {quien}" in html) == ve, f"{quien} ({pertenencia})"
        caso.sesiones.update(estado="cancelada")
