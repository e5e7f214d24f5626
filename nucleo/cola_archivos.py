"""El broker en archivos de la demo (kombu `filesystem://`) sin archivos a medias ni errores
fatales.

El transporte de kombu crea el archivo de cada mensaje y después lo escribe: un worker que
lista la carpeta en ese instante lo lee vacío, y un proceso que muere a la mitad deja un
archivo truncado. Al leerlo, el worker se detenía para siempre («Unrecoverable error:
JSONDecodeError»). Lo mismo con las tablas de intercambios (`control/*.exchange`), que se
reescriben en su lugar y que el worker lee al arrancar.

Aquí, con el mismo formato de carpetas y nombres:
- cada mensaje y cada tabla se escriben con un nombre temporal que ningún consumidor busca y
  se ponen en su lugar con `os.replace` (atómico): quien lee ve el archivo completo o nada;
- un mensaje que no se puede leer o decodificar se aparta en `apartados_folder` (por
  omisión `<cola>/apartados`) con un WARNING que da su nombre, y el worker sigue; una tabla
  dañada se aparta igual y se rehace con lo que el proceso sabe de sus colas.

Un mensaje apartado no es trabajo perdido: los avisos y documentos viven primero en la base
(bandeja de salida) y el barrido del beat vuelve a encolar lo que siga pendiente.

Todos los procesos que comparten la carpeta deben usar este transporte (lo elige
`config/settings.py` con `CELERY_BROKER_TRANSPORT`).
"""

import logging
import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from queue import Empty

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

# Lo que puede salir de leer un archivo dañado: bytes que no son UTF-8 ni JSON
# (ValueError), JSON con otra forma (TypeError, KeyError) o un archivo ilegible (OSError).
DANOS = (OSError, ValueError, TypeError, KeyError)


def escribir_atomico(destino: Path, datos: bytes) -> None:
    """Escribe `datos` en `destino` de una vez: primero con un nombre temporal que empieza con
    punto (ningún consumidor lo busca) y luego `os.replace`."""
    temporal = destino.with_name(f".{uuid.uuid4().hex}.escribiendo")
    try:
        with open(temporal, "wb") as archivo:
            archivo.write(datos)
        os.replace(temporal, destino)
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise


def apartar(archivo: Path, carpeta: Path, error: Exception) -> None:
    """Mueve un archivo dañado a `carpeta` y lo registra; nunca lanza."""
    try:
        carpeta.mkdir(parents=True, exist_ok=True)
        destino = carpeta / archivo.name
        if destino.exists():
            destino = carpeta / f"{archivo.name}.{uuid.uuid4().hex[:8]}"
        os.replace(archivo, destino)
    except FileNotFoundError:
        return  # otro proceso ya lo tomó o lo apartó
    except OSError as falla:
        logger.warning(
            "Archivo dañado en la cola %s (%r); no se pudo apartar: %s", archivo, error, falla
        )
        return
    logger.warning(
        "Archivo dañado en la cola: %s (%r); se apartó en %s y el worker sigue",
        archivo.name,
        error,
        destino,
    )


def leer_mensaje(archivo: Path) -> dict:
    mensaje = loads(bytes_to_str(archivo.read_bytes()))
    if not isinstance(mensaje, dict) or "delivery_tag" not in mensaje["properties"]:
        raise ValueError("no tiene la forma de un mensaje de kombu")
    return mensaje


def renglon_de(routing_key, pattern, queue) -> filesystem.exchange_queue_t:
    """Un renglón de tabla como lo escribe kombu (vacío en lugar de None)."""
    return filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")


def leer_tabla(archivo: Path) -> list:
    return [filesystem.exchange_queue_t(*renglon) for renglon in loads(archivo.read_text())]


class Channel(filesystem.Channel):
    @property
    def apartados(self) -> Path:
        carpeta = self.transport_options.get("apartados_folder")
        return Path(carpeta) if carpeta else Path(self.data_folder_in) / "apartados"

    # --- Mensajes ---

    def _put(self, queue, payload, **kwargs):
        # El consumidor toma los archivos en orden de nombre: la hora en nanosegundos, con
        # ceros a la izquierda, mantiene el orden de llegada (kombu usa milisegundos sin
        # rellenar: dos mensajes del mismo milisegundo salían en cualquier orden).
        nombre = f"{time.time_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        try:
            escribir_atomico(Path(self.data_folder_out) / nombre, str_to_bytes(dumps(payload)))
        except OSError as error:
            raise ChannelError(f"No se pudo escribir el mensaje {nombre} en la cola") from error

    def _get(self, queue):
        carpeta = Path(self.data_folder_in)
        buscado = f"{queue}.msg"
        for nombre in sorted(os.listdir(carpeta)):
            if nombre.partition(".")[2] != buscado:
                continue
            archivo = carpeta / nombre
            try:
                mensaje = leer_mensaje(archivo)
            except FileNotFoundError:
                continue  # otro consumidor se lo llevó
            except DANOS as error:
                apartar(archivo, self.apartados, error)
                continue
            # Tomarlo: de varios consumidores que lo leyeron, solo uno logra quitarlo.
            try:
                if self.store_processed:
                    os.replace(archivo, Path(self.processed_folder) / nombre)
                else:
                    archivo.unlink()
            except FileNotFoundError:
                continue
            return mensaje
        raise Empty()

    # --- Tablas de intercambios (control/*.exchange) ---

    @contextmanager
    def _candado(self, archivo: Path):
        """Serializa entre procesos la lectura y reescritura de una tabla. El candado es un
        archivo aparte: la tabla misma se reemplaza en cada escritura."""
        with open(archivo.with_name(archivo.name + ".candado"), "a") as candado:
            filesystem.lock(candado, filesystem.LOCK_EX)
            try:
                yield
            finally:
                filesystem.unlock(candado)

    def _tabla(self, archivo: Path, exchange: str) -> list:
        """La tabla del intercambio, con el candado tomado. Si el archivo está dañado lo aparta
        y la rehace con las colas que este proceso declaró en ese intercambio."""
        try:
            return leer_tabla(archivo)
        except FileNotFoundError:
            return []
        except DANOS as error:
            apartar(archivo, self.apartados, error)
        conocida = self.state.exchanges.get(exchange, {}).get("table", [])
        tabla = [renglon_de(*renglon) for renglon in conocida]
        if tabla:
            escribir_atomico(archivo, str_to_bytes(dumps(tabla)))
        return tabla

    def get_table(self, exchange):
        archivo = self._exchange_file(exchange)
        try:
            # Sin candado: cada escritura reemplaza el archivo entero.
            return leer_tabla(archivo)
        except FileNotFoundError:
            return []
        except DANOS:
            pass
        with self._candado(archivo):
            return self._tabla(archivo, exchange)

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        archivo = self._exchange_file(exchange)
        self.control_folder.mkdir(parents=True, exist_ok=True)
        renglon = renglon_de(routing_key, pattern, queue)
        with self._candado(archivo):
            tabla = self._tabla(archivo, exchange)
            if renglon not in tabla:
                tabla.insert(0, renglon)
                escribir_atomico(archivo, str_to_bytes(dumps(tabla)))

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        archivo = self._exchange_file(exchange)
        if not archivo.exists():
            return
        renglon = renglon_de(routing_key, pattern, queue)
        with self._candado(archivo):
            tabla = self._tabla(archivo, exchange)
            if renglon in tabla:
                tabla.remove(renglon)
                escribir_atomico(archivo, str_to_bytes(dumps(tabla)))


class Transport(filesystem.Transport):
    """`filesystem://` de kombu con escrituras atómicas y archivos dañados apartados."""

    Channel = Channel
