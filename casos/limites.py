"""Límites de intentos por ventana fija, con contador atómico en la base de datos.

Se cuenta ANTES de intentar (reservar) y se devuelve el intento si no debía contar: así
cien peticiones simultáneas no pasan todas la revisión antes de que alguna sume. El
contador es un solo `INSERT … ON CONFLICT DO UPDATE … RETURNING` (PostgreSQL y SQLite), sin
depender de Redis en la ruta del ciudadano.
"""

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nucleo.compiladas import ejecutar_preparado

from .models import LimiteIntento

# Red que se cuenta como un solo cliente en IPv6: a una casa o a un servidor se le asigna
# un /64 completo, y cambiar de dirección dentro de él no debe dar más intentos.
PREFIJO_IPV6 = 64


def ip_cliente(request) -> str:
    """IP del cliente. Detrás de proxies de confianza se toma de X-Forwarded-For contando
    desde la derecha (lo que agregó nuestro proxy), nunca la entrada que escribió el
    cliente a la izquierda."""
    proxies = settings.PROXIES_DE_CONFIANZA
    if proxies:
        cadena = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        cadena = [ip for ip in cadena if ip]
        if len(cadena) >= proxies:
            return cadena[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "desconocida"


def cliente_de(ip: str) -> str:
    """Quién cuenta como un cliente: la IPv4 tal cual; en IPv6, su red /64."""
    try:
        direccion = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if direccion.version == 4:
        return str(direccion)
    if direccion.ipv4_mapped is not None:
        return str(direccion.ipv4_mapped)
    return str(ipaddress.ip_network(f"{direccion}/{PREFIJO_IPV6}", strict=False))


def _clave(ambito: str, sujeto: str, ventana: int) -> tuple[str, int]:
    ahora = int(timezone.now().timestamp())
    indice = ahora // ventana
    return f"{ambito}:{sujeto}:{indice}", (indice + 1) * ventana


def _tabla() -> str:
    return connection.ops.quote_name(LimiteIntento._meta.db_table)


def _sumar_varios(claves: list[str], expira_ts: int) -> dict[str, int]:
    """Suma un intento a cada clave en un solo enunciado; el conteo de cada una, después."""
    tabla = _tabla()
    expira = datetime.fromtimestamp(expira_ts, tz=UTC)
    renglones = ", ".join(["(%s, 1, %s)"] * len(claves))
    sql = (
        f"INSERT INTO {tabla} (clave, conteo, expira) VALUES {renglones} "
        f"ON CONFLICT (clave) DO UPDATE SET conteo = {tabla}.conteo + 1 "
        "RETURNING clave, conteo"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [valor for clave in claves for valor in (clave, expira)])
        return dict(cursor.fetchall())


def _restar_varios(claves: list[str]) -> dict[str, int]:
    """Devuelve un intento de cada clave, nunca por debajo de cero (lo de una ventana ya
    purgada no se devuelve: no hay renglón). El conteo de cada una que exista, después."""
    tabla = _tabla()
    sql = (
        f"UPDATE {tabla} SET conteo = CASE WHEN conteo > 0 THEN conteo - 1 ELSE 0 END "
        f"WHERE clave IN ({', '.join(['%s'] * len(claves))}) RETURNING clave, conteo"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, claves)
        return dict(cursor.fetchall())


def _sumar(clave: str, expira_ts: int, delta: int) -> int:
    """Suma (delta 1) o devuelve (delta -1) un intento de una clave; su conteo, después."""
    with transaction.atomic():
        if delta > 0:
            return _sumar_varios([clave], expira_ts)[clave]
        return _restar_varios([clave]).get(clave, 0)


def reservar(ambito: str, sujeto: str, limite: int, ventana: int) -> bool:
    """Cuenta un intento; False si con él se rebasa el límite (el intento no procede)."""
    clave, expira = _clave(ambito, sujeto, ventana)
    return _sumar(clave, expira, 1) <= limite


def devolver(ambito: str, sujeto: str, ventana: int) -> None:
    """Devuelve un intento reservado que no debía contar (p. ej. consulta correcta)."""
    clave, expira = _clave(ambito, sujeto, ventana)
    _sumar(clave, expira, -1)


def conteo(ambito: str, sujeto: str, ventana: int) -> int:
    clave, _ = _clave(ambito, sujeto, ventana)
    return _conteo_de(clave)


def _conteo_de(clave: str) -> int:
    return LimiteIntento.objects.filter(clave=clave).values_list("conteo", flat=True).first() or 0


def purgar() -> int:
    """Borra contadores de ventanas ya vencidas (el beat, cada 10 minutos;
    no la petición del ciudadano, que así hace siempre las mismas consultas)."""
    vencidos = LimiteIntento.objects.filter(expira__lt=timezone.now() - timedelta(minutes=5))
    return vencidos.delete()[0]


# --- Consulta pública por folio ---------------------------------------------------------------


@dataclass(frozen=True)
class ReservaConsulta:
    """Un intento de consulta ya contado. Si acierta, `devolver()` lo descuenta todo."""

    permitida: bool
    clave_cliente: str = ""
    clave_par: str = ""
    clave_folio: str = ""

    def devolver(self) -> None:
        if connection.vendor == "postgresql":
            _devolver_en_un_enunciado(self.clave_cliente, self.clave_par, self.clave_folio)
            return
        with transaction.atomic():
            conteos = _restar_varios([self.clave_cliente, self.clave_par])
            _soltar_folio(conteos, self.clave_par, self.clave_folio)


def _soltar_folio(conteos: dict[str, int], clave_par: str, clave_folio: str) -> None:
    # Solo quien deja en cero los intentos pendientes del par (folio, cliente) descuenta al
    # cliente del folio: así el folio cuenta clientes distintos aun con intentos simultáneos.
    if conteos.get(clave_par) == 0:
        _restar_varios([clave_folio])


def reservar_consulta(*, ip: str, folio: str) -> ReservaConsulta:
    """Cuenta un intento de consulta de `folio` desde `ip`, antes de comparar el código.

    Dos límites por ventana: los fallos de cada cliente (IP; su red /64 en IPv6), en todos
    los folios, y para cada folio, cuántos clientes distintos fallaron en él. Un solo
    cliente nunca bloquea un folio ajeno: lo que se le rechaza por estar bloqueado no
    toca el folio, y todos sus fallos en él cuentan como uno.

    En SQLite, una transacción de dos enunciados en el caso común (cliente y par en un
    `INSERT … ON CONFLICT … RETURNING` de dos renglones, y el folio la primera vez que el
    cliente lo intenta); devolverlo, otra de dos. En PostgreSQL, un solo enunciado cada uno
    (`_reservar_en_un_enunciado`, `_devolver_en_un_enunciado`).
    """
    ventana = settings.CONSULTA_FALLOS_VENTANA
    indice = int(timezone.now().timestamp()) // ventana
    expira = (indice + 1) * ventana
    cliente = cliente_de(ip)
    clave_cliente = f"consulta-ip:{cliente}:{indice}"
    clave_par = f"consulta-par:{folio}:{cliente}:{indice}"
    clave_folio = f"consulta-folio:{folio}:{indice}"
    maximo = settings.CONSULTA_FOLIO_CLIENTES
    if connection.vendor == "postgresql":
        return _reservar_en_un_enunciado(clave_cliente, clave_par, clave_folio, expira, maximo)
    with transaction.atomic():
        conteos = _sumar_varios([clave_cliente, clave_par], expira)
        if conteos[clave_cliente] > settings.CONSULTA_FALLOS_LIMITE:
            # El cliente ya agotó sus intentos: el rechazo cuenta para él, no para el par ni
            # para el folio (que no se sumó).
            _restar_varios([clave_par])
            return ReservaConsulta(permitida=False)
        if conteos[clave_par] == 1:
            protegido = _sumar_varios([clave_folio], expira)[clave_folio] > maximo
        else:
            protegido = _conteo_de(clave_folio) >= maximo
        if protegido:
            # Ni el folio ni el par cuentan este rechazo; el cliente sí (sigue siendo un intento).
            _soltar_folio(_restar_varios([clave_par]), clave_par, clave_folio)
            return ReservaConsulta(permitida=False)
    return ReservaConsulta(
        permitida=True, clave_cliente=clave_cliente, clave_par=clave_par, clave_folio=clave_folio
    )


# --- En PostgreSQL, cada paso del caso común en un solo enunciado ------------------------------
#
# Las mismas reglas que arriba, con expresiones de tabla que escriben (PostgreSQL; SQLite no
# las tiene): reservar es un enunciado y devolver otro, cada uno atómico por sí mismo, sin
# BEGIN ni COMMIT aparte. Solo un rechazo (raro) escribe después lo que deshace.


def _reservar_en_un_enunciado(
    clave_cliente: str, clave_par: str, clave_folio: str, expira_ts: int, maximo: int
) -> ReservaConsulta:
    tabla = _tabla()
    expira = datetime.fromtimestamp(expira_ts, tz=UTC)
    # `s` suma al cliente y al par; `f` suma al folio solo el primer intento del par y si el
    # cliente no agotó los suyos; si no se sumó, se lee cuánto lleva el folio.
    sql = (
        f"WITH s AS (INSERT INTO {tabla} (clave, conteo, expira) VALUES (%s, 1, %s), (%s, 1, %s) "
        f"ON CONFLICT (clave) DO UPDATE SET conteo = {tabla}.conteo + 1 RETURNING clave, conteo), "
        f"f AS (INSERT INTO {tabla} (clave, conteo, expira) SELECT %s, 1, %s "
        "WHERE (SELECT conteo FROM s WHERE clave = %s) = 1 "
        "AND (SELECT conteo FROM s WHERE clave = %s) <= %s "
        f"ON CONFLICT (clave) DO UPDATE SET conteo = {tabla}.conteo + 1 RETURNING clave, conteo) "
        "SELECT clave, conteo, true FROM s UNION ALL SELECT clave, conteo, true FROM f "
        f"UNION ALL SELECT clave, conteo, false FROM {tabla} "
        "WHERE clave = %s AND NOT EXISTS (SELECT 1 FROM f)"
    )
    parametros = [clave_cliente, expira, clave_par, expira, clave_folio, expira, clave_par]
    parametros += [clave_cliente, settings.CONSULTA_FALLOS_LIMITE, clave_folio]
    # Cada consulta lo ejecuta igual: preparado en la conexión (`nucleo.compiladas`).
    renglones = ejecutar_preparado(sql, parametros)
    conteos = {clave: conteo for clave, conteo, _ in renglones}
    sumado_al_folio = any(clave == clave_folio and sumado for clave, _, sumado in renglones)
    if conteos[clave_cliente] > settings.CONSULTA_FALLOS_LIMITE:
        _restar_varios([clave_par])
        return ReservaConsulta(permitida=False)
    if sumado_al_folio:
        protegido = conteos[clave_folio] > maximo
    else:
        protegido = conteos.get(clave_folio, 0) >= maximo
    if protegido:
        with transaction.atomic():
            _soltar_folio(_restar_varios([clave_par]), clave_par, clave_folio)
        return ReservaConsulta(permitida=False)
    return ReservaConsulta(
        permitida=True, clave_cliente=clave_cliente, clave_par=clave_par, clave_folio=clave_folio
    )


def _devolver_en_un_enunciado(clave_cliente: str, clave_par: str, clave_folio: str) -> None:
    tabla = _tabla()
    restar = "conteo = CASE WHEN conteo > 0 THEN conteo - 1 ELSE 0 END"
    sql = (
        f"WITH r AS (UPDATE {tabla} SET {restar} WHERE clave IN (%s, %s) "
        "RETURNING clave, conteo) "
        f"UPDATE {tabla} SET {restar} WHERE clave = %s "
        "AND EXISTS (SELECT 1 FROM r WHERE clave = %s AND conteo = 0)"
    )
    ejecutar_preparado(sql, [clave_cliente, clave_par, clave_folio, clave_par])
