"""Datos iniciales: roles con sus permisos, catálogos, centro, aviso de privacidad y las
cifras iniciales de los plazos.

Las funciones reciben el registro de apps (`apps` de una migración o `django.apps.apps`)
y son idempotentes, para usarlas desde la migración de datos y desde las pruebas.
"""

import json
from datetime import date
from pathlib import Path

DATOS = Path(__file__).parent / "datos" / "inicial.json"

CATALOGOS = [
    "casos.add_localidad",
    "casos.change_localidad",
    "casos.view_localidad",
    "casos.add_categoria",
    "casos.change_categoria",
    "casos.view_categoria",
    "casos.add_modulo",
    "casos.change_modulo",
    "casos.view_modulo",
    "casos.add_diainhabil",
    "casos.change_diainhabil",
    "casos.view_diainhabil",
    "casos.add_sala",
    "casos.change_sala",
    "casos.view_sala",
    "casos.add_perfilmediador",
    "casos.change_perfilmediador",
    "casos.view_perfilmediador",
    "casos.add_valordeplazo",
    "casos.change_valordeplazo",
    "casos.delete_valordeplazo",
    "casos.view_valordeplazo",
]

# La administración de la oficina (/oficina/): la coordinación da de alta al personal y sus
# certificaciones, las salas y sus horarios, el centro y el aviso de privacidad.
OFICINA = [
    "casos.administrar_oficina",
    "cuentas.administrar_personal",
    "casos.view_centro",
    "casos.change_centro",
    "casos.add_avisoprivacidad",
    "casos.change_avisoprivacidad",
    "casos.view_avisoprivacidad",
    "casos.add_horariosala",
    "casos.change_horariosala",
    "casos.delete_horariosala",
    "casos.view_horariosala",
    "casos.delete_diainhabil",
    "casos.add_perfilpersonal",
    "casos.change_perfilpersonal",
    "casos.view_perfilpersonal",
]

ROLES: dict[str, list[str]] = {
    "operador": [
        "casos.view_caso",
        "casos.capturar_solicitud",
        "casos.reexpedir_codigo",
        "notificaciones.reintentar_aviso",
    ],
    "coordinador": [
        "casos.view_caso",
        "casos.capturar_solicitud",
        "casos.reexpedir_codigo",
        "casos.ver_estadistica",
        "casos.ver_todos_los_casos",
        "casos.ver_bitacora_accesos",
        "casos.revisar_solicitud",
        "casos.asignar_responsable",
        "plantillas.remitir_convenios",
        "notificaciones.ver_avisos",
        "notificaciones.reintentar_aviso",
        "comunidad.ver_avisos_comunitarios",
        "comunidad.enviar_aviso_comunitario",
        "comunidad.administrar_contactos_comunitarios",
        "cuentas.desbloquear_cuentas",
        "cuentas.reiniciar_segundo_factor",
        "importacion.importar_registros",
        "casos.fijar_conservacion",
        "casos.view_plazoconservacion",
        "casos.change_plazoconservacion",
        "casos.view_depuracion",
        *CATALOGOS,
        *OFICINA,
    ],
    "mediador": ["casos.view_caso", "casos.atender_mediacion", "notificaciones.reintentar_aviso"],
    "asesor": [
        "casos.view_caso",
        "casos.capturar_solicitud",
        "casos.atender_asesoria",
        "notificaciones.reintentar_aviso",
    ],
    # Quien atiende los derechos ARCO (la Unidad de Transparencia o la persona que la oficina
    # designe; si no hay, se da este rol a la coordinación desde /oficina/personal/).
    "privacidad": [
        "casos.view_caso",
        "casos.atender_arco",
        "casos.ver_datos_bloqueados",
        "casos.view_plazoconservacion",
        "casos.view_depuracion",
    ],
    "direccion": [
        "casos.view_caso",
        "casos.ver_estadistica",
        "estadistica.fijar_metas",
        "casos.ver_todos_los_casos",
        "casos.ver_bitacora_accesos",
        "notificaciones.ver_avisos",
        "comunidad.ver_avisos_comunitarios",
    ],
}


def _permisos_definidos(apps) -> set[tuple[str, str]]:
    """(app, codename) de los permisos que los modelos definen en esta altura de las
    migraciones: los cuatro de Django y los de Meta.permissions."""
    definidos = set()
    for modelo in apps.get_models():
        meta = modelo._meta
        for accion in meta.default_permissions:
            definidos.add((meta.app_label, f"{accion}_{meta.model_name}"))
        for codename, _ in meta.permissions:
            definidos.add((meta.app_label, codename))
    return definidos


def sembrar_roles(apps) -> None:
    """Asigna a cada rol sus permisos. Un permiso que los modelos aún no definen en esta
    altura de las migraciones se omite: la migración que lo agrega vuelve a sembrar (y una
    prueba revisa que al final cada rol tenga todos los suyos)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    definidos = _permisos_definidos(apps)
    for nombre, permisos in ROLES.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        objetos = []
        for permiso in permisos:
            app_label, codename = permiso.split(".")
            if (app_label, codename) not in definidos:
                continue
            objetos.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        grupo.permissions.set(objetos)


def migrar_roles(apps, schema_editor) -> None:
    """Paso de migración: crea los permisos pendientes y vuelve a sembrar los roles."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sembrar_roles(apps)


def sembrar_autoridad_registro(apps, schema_editor=None, datos_path: Path = DATOS) -> None:
    """A quién van los oficios de remisión, si el centro aún no lo tiene."""
    datos = json.loads(datos_path.read_text(encoding="utf-8"))
    Centro = apps.get_model("casos", "Centro")
    Centro.objects.filter(pk=1, autoridad_registro="").update(
        autoridad_registro=datos.get("autoridad_registro", "")
    )


def quitar_plazos_arco(apps, schema_editor=None) -> None:
    """Al deshacer la migración de los derechos ARCO: sus plazos no existen antes (la
    restricción de la versión anterior rechazaría los renglones)."""
    ValorDePlazo = apps.get_model("casos", "ValorDePlazo")
    ValorDePlazo.objects.filter(clave__startswith="ARCO_").delete()


def sembrar_autoridad_garante(apps, schema_editor=None, datos_path: Path = DATOS) -> None:
    """Ante quién se recurre una respuesta ARCO y dónde se presentan, si el centro aún no lo
    tiene (la coordinación lo confirma en /oficina/)."""
    datos = json.loads(datos_path.read_text(encoding="utf-8"))
    Centro = apps.get_model("casos", "Centro")
    Centro.objects.filter(pk=1, autoridad_garante="").update(
        autoridad_garante=datos.get("autoridad_garante", "")
    )
    Centro.objects.filter(pk=1, unidad_transparencia="").update(
        unidad_transparencia=datos.get("unidad_transparencia", "")
    )


# Plazos de conservación de una instalación nueva, en años desde la conclusión [por
# confirmar]: los fija el catálogo de disposición documental del municipio (Ley General de
# Archivos) y la coordinación los cambia en /oficina/. (tipo, resultado, bloquear, suprimir).
CONSERVACION_INICIAL = [
    ("MED", "con_convenio", 2, 10, "Práctica de archivo: 2 años en trámite y 8 en concentración"),
    ("MED", "sin_convenio", 2, 5, "Práctica de archivo: 2 años en trámite y 3 en concentración"),
    ("ASE", "cualquiera", 2, 5, "Práctica de archivo: 2 años en trámite y 3 en concentración"),
    ("ARCO", "cualquiera", 1, 3, "Práctica de archivo: 1 año en trámite y 2 en concentración"),
]


def sembrar_conservacion(apps, schema_editor=None) -> int:
    """Los plazos de conservación iniciales que aún no existan. Devuelve cuántos creó."""
    PlazoConservacion = apps.get_model("casos", "PlazoConservacion")
    creados = 0
    for tipo, resultado, bloquear, suprimir, fundamento in CONSERVACION_INICIAL:
        _, creado = PlazoConservacion.objects.get_or_create(
            tipo=tipo,
            resultado=resultado,
            defaults={
                "bloquear_anios": bloquear,
                "suprimir_anios": suprimir,
                "fundamento": fundamento + " [por confirmar]",
            },
        )
        creados += creado
    return creados


def sembrar_catalogos(apps, datos_path: Path = DATOS) -> None:
    datos = json.loads(datos_path.read_text(encoding="utf-8"))
    Centro = apps.get_model("casos", "Centro")
    Localidad = apps.get_model("casos", "Localidad")
    Categoria = apps.get_model("casos", "Categoria")
    AvisoPrivacidad = apps.get_model("casos", "AvisoPrivacidad")
    centro, creado = Centro.objects.get_or_create(pk=1, defaults=datos["centro"])
    if creado and hasattr(centro, "articulo"):
        # En migraciones anteriores al artículo el modelo aún no lo tiene.
        centro.articulo = proponer_articulo(centro.nombre)
        centro.save(update_fields=["articulo"])
    for orden, nombre in enumerate(datos["localidades"], start=1):
        Localidad.objects.get_or_create(nombre=nombre, defaults={"orden": orden * 10})
    for orden, cat in enumerate(datos["categorias"], start=1):
        Categoria.objects.get_or_create(
            nombre=cat["nombre"],
            tipo=cat.get("tipo", ""),
            defaults={
                "orden": orden * 10,
                "canalizar": cat.get("canalizar", False),
                "descripcion": cat.get("descripcion", ""),
            },
        )
    aviso = dict(datos["aviso"])
    aviso["vigente_desde"] = date.fromisoformat(aviso["vigente_desde"])
    AvisoPrivacidad.objects.get_or_create(version=aviso.pop("version"), defaults=aviso)


def sembrar_plazos(apps, schema_editor=None) -> int:
    """Las cifras de los plazos de una instalación nueva: un renglón por plazo que aún no
    tenga ninguno, con la cifra de `settings.PLAZOS` (las variables de entorno), vigente
    desde la publicación de la LGMASC. Devuelve cuántos creó."""
    from django.conf import settings
    from django.utils import timezone

    from .models.configuracion import DEFINICIONES_PLAZO, PUBLICACION_LGMASC, ClavePlazo

    ValorDePlazo = apps.get_model("casos", "ValorDePlazo")
    # Solo los plazos que existen en esta altura de las migraciones (los de después los
    # siembra la migración que los agrega).
    existentes = {clave for clave, _ in ValorDePlazo._meta.get_field("clave").choices}
    con_renglon = set(ValorDePlazo.objects.values_list("clave", flat=True))
    nuevos = [
        ValorDePlazo(
            clave=clave,
            etiqueta=str(ClavePlazo(clave).label),
            fundamento=str(definicion.fundamento),
            unidad=definicion.unidad,
            valor=settings.PLAZOS[clave],
            vigente_desde=PUBLICACION_LGMASC,
            motivo="Cifra inicial de la instalación (variables de entorno).",
            creado_en=timezone.now(),
        )
        for clave, definicion in DEFINICIONES_PLAZO.items()
        if clave not in con_renglon and clave in existentes
    ]
    ValorDePlazo.objects.bulk_create(nuevos)
    return len(nuevos)


# Primera palabra del nombre -> artículo; solo para proponerlo a un centro ya instalado (la
# coordinación lo corrige en /oficina/ si no es el que usa).
_FEMENINOS = {
    "dirección",
    "coordinación",
    "unidad",
    "oficina",
    "secretaría",
    "jefatura",
    "procuraduría",
    "subdirección",
    "defensoría",
    "comisión",
    "casa",
}
_MASCULINOS = {"centro", "instituto", "departamento", "sistema", "área", "módulo", "juzgado"}


def proponer_articulo(nombre: str) -> str:
    """«la» para «Dirección de…», «el» para «Centro de…»; vacío si no se sabe."""
    primera = (nombre.split() or [""])[0].lower()
    if primera in _FEMENINOS:
        return "la"
    if primera in _MASCULINOS:
        return "el"
    return ""


def proponer_articulo_del_centro(apps, schema_editor) -> None:
    Centro = apps.get_model("casos", "Centro")
    for centro in Centro.objects.filter(articulo=""):
        centro.articulo = proponer_articulo(centro.nombre)
        centro.save(update_fields=["articulo"])
