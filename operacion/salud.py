"""La salud de la instalación (/salud/) para el balanceador y los healthchecks de docker compose.

Cada parte se revisa por separado y su falla no impide revisar las demás. Nada de lo que se
responde trae datos personales, secretos ni mensajes de error: de una excepción solo se dice
su clase. Con la base caída, las partes que la leen no se revisan («sin_base»).

- `web` (`?parte=web`): solo la base. Es la del contenedor web y la del balanceador: que la web
  contesta y llega a su base. Un worker detenido no debe sacar a la web de circulación (los
  ciudadanos pueden seguir capturando solicitudes; lo pendiente sale al volver el worker).
- completa (sin `parte`): además el broker, los workers de cada cola, el beat y la antigüedad
  de lo pendiente. Es la del monitoreo. En una instalación recién hecha, sin ningún latido,
  cada cola sale «sin_latidos» y falla: el trabajo en segundo plano no está corriendo.
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

OK = "ok"
FALLA = "falla"


@dataclass
class Salud:
    partes: dict = field(default_factory=dict)
    fallan: list = field(default_factory=list)

    @property
    def sana(self) -> bool:
        return not self.fallan

    def como_json(self) -> dict:
        cuerpo = {"estado": OK if self.sana else FALLA, "partes": self.partes}
        if self.fallan:
            cuerpo["fallan"] = self.fallan
        return cuerpo


def _falla(error: BaseException) -> dict:
    return {"estado": FALLA, "error": type(error).__name__}


def revisar_base() -> dict:
    """Un `SELECT 1`. En PostgreSQL, con `statement_timeout` de 2 s dentro de su transacción
    (la conexión ya tiene `connect_timeout`, config/settings.py)."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL statement_timeout = 2000")
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as error:  # noqa: BLE001 (cualquier falla de la base es su falla)
        return _falla(error)
    return {"estado": OK}


def _carpeta_escribible(carpeta: str) -> None:
    Path(carpeta).mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=carpeta, prefix=".salud-"):
        pass


def revisar_broker() -> dict:
    """Una conexión al broker con una espera de a lo más SALUD_BROKER_ESPERA_SEGUNDOS y sin
    reintentos. El broker embebido en archivos: que su carpeta admita escribir."""
    url = settings.CELERY_BROKER_URL
    espera = settings.SALUD_BROKER_ESPERA_SEGUNDOS
    tipo = url.split("://", 1)[0] or "desconocido"
    try:
        if tipo == "filesystem":
            opciones = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
            _carpeta_escribible(opciones.get("data_folder_in") or os.getcwd())
        elif tipo != "memory":
            from kombu import Connection

            with Connection(
                url,
                connect_timeout=espera,
                transport_options={"socket_timeout": espera, "max_retries": 0},
            ) as conexion:
                conexion.ensure_connection(max_retries=0, timeout=espera)
    except Exception as error:  # noqa: BLE001 (el broker inalcanzable es su falla)
        return {**_falla(error), "tipo": tipo}
    return {"estado": OK, "tipo": tipo}


def _segundos(desde, ahora) -> int | None:
    return None if desde is None else max(0, int((ahora - desde).total_seconds()))


def revisar_colas(ahora) -> dict:
    from notificaciones.selectors import estado_de_trabajadores

    colas = {}
    for cola, estado in estado_de_trabajadores(ahora=ahora).items():
        if estado.vivos:
            valor = OK
        elif estado.ultimo_latido is None:
            valor = "sin_latidos"
        else:
            valor = "sin_workers_vivos"
        colas[cola] = {
            "estado": valor,
            "vivos": len(estado.vivos),
            "ultimo_latido_hace_segundos": _segundos(estado.ultimo_latido, ahora),
        }
    return colas


def revisar_beat(ahora) -> dict:
    from notificaciones.selectors import ultima_revision_del_beat

    ultima = ultima_revision_del_beat()
    hace = _segundos(ultima, ahora)
    if ultima is None:
        return {"estado": "sin_latidos", "ultima_revision_hace_segundos": None}
    valor = OK if hace <= settings.SALUD_BEAT_MAX_SEGUNDOS else "detenido"
    return {"estado": valor, "ultima_revision_hace_segundos": hace}


def _pendiente(desde, ahora, maximo: int) -> dict:
    hace = _segundos(desde, ahora)
    valor = OK if hace is None or hace <= maximo else "atrasado"
    return {"estado": valor, "mas_antiguo_hace_segundos": hace, "maximo_segundos": maximo}


def revisar(*, completa: bool = True) -> Salud:
    """Pocas consultas: SELECT 1, los latidos, la revisión del beat y dos mínimos."""
    from notificaciones.selectors import aviso_pendiente_mas_antiguo
    from plantillas.selectors import documento_pendiente_mas_antiguo

    salud = Salud()
    salud.partes["base_de_datos"] = revisar_base()
    if not completa:
        salud.fallan = [p for p, v in salud.partes.items() if v["estado"] != OK]
        return salud
    salud.partes["broker"] = revisar_broker()
    if salud.partes["base_de_datos"]["estado"] == OK:
        ahora = timezone.now()
        salud.partes["colas"] = revisar_colas(ahora)
        salud.partes["beat"] = revisar_beat(ahora)
        salud.partes["avisos_pendientes"] = _pendiente(
            aviso_pendiente_mas_antiguo(ahora=ahora),
            ahora,
            settings.SALUD_AVISO_PENDIENTE_MAX_SEGUNDOS,
        )
        salud.partes["documentos_pendientes"] = _pendiente(
            documento_pendiente_mas_antiguo(),
            ahora,
            settings.SALUD_DOCUMENTO_PENDIENTE_MAX_SEGUNDOS,
        )
    else:
        for parte in ("colas", "beat", "avisos_pendientes", "documentos_pendientes"):
            salud.partes[parte] = {"estado": "sin_base"}
    for parte, valor in salud.partes.items():
        if parte == "colas" and "estado" not in valor:
            salud.fallan += [f"cola:{c}" for c, v in valor.items() if v["estado"] != OK]
        elif valor["estado"] not in (OK, "sin_base"):
            salud.fallan.append(parte)
    return salud
