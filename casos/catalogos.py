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
]

ROLES: dict[str, list[str]] = {
    "operador": ["casos.view_caso", "casos.capturar_solicitud", "casos.reexpedir_codigo"],
    "coordinador": [
        "casos.view_caso",
        "casos.capturar_solicitud",
        "casos.reexpedir_codigo",
        "casos.ver_estadistica",
        *CATALOGOS,
    ],
    "mediador": ["casos.view_caso"],
    "asesor": ["casos.view_caso", "casos.capturar_solicitud"],
    "direccion": ["casos.view_caso", "casos.ver_estadistica"],
}


def sembrar_roles(apps) -> None:
    """Asigna a cada rol sus permisos. Un permiso de un modelo que aún no existe en esta
    altura de las migraciones se omite (la migración que crea el modelo vuelve a sembrar);
    uno mal escrito de un modelo existente es un error."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    modelos = {(m._meta.app_label, m._meta.model_name) for m in apps.get_models()}
    for nombre, permisos in ROLES.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        objetos = []
        for permiso in permisos:
            app_label, codename = permiso.split(".")
            modelo = codename.split("_", 1)[1]
            if codename.split("_", 1)[0] in ("add", "change", "delete", "view") and (
                (app_label, modelo) not in modelos
            ):
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
