"""Datos iniciales: roles con sus permisos, catálogos, centro y aviso de privacidad.

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
        "cuentas.desbloquear_cuentas",
        "cuentas.reiniciar_segundo_factor",
        "importacion.importar_registros",
        *CATALOGOS,
    ],
    "mediador": ["casos.view_caso", "casos.atender_mediacion", "notificaciones.reintentar_aviso"],
    "asesor": [
        "casos.view_caso",
        "casos.capturar_solicitud",
        "casos.atender_asesoria",
        "notificaciones.reintentar_aviso",
    ],
    "direccion": [
        "casos.view_caso",
        "casos.ver_estadistica",
        "casos.ver_todos_los_casos",
        "casos.ver_bitacora_accesos",
        "notificaciones.ver_avisos",
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


def sembrar_catalogos(apps, datos_path: Path = DATOS) -> None:
    datos = json.loads(datos_path.read_text(encoding="utf-8"))
    Centro = apps.get_model("casos", "Centro")
    Localidad = apps.get_model("casos", "Localidad")
    Categoria = apps.get_model("casos", "Categoria")
    AvisoPrivacidad = apps.get_model("casos", "AvisoPrivacidad")
    Centro.objects.get_or_create(pk=1, defaults=datos["centro"])
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
