#!/usr/bin/env python3
"""Benchmark del tablero de la Dirección y de la página de transparencia en PostgreSQL (se
ejecuta desde scripts/bench.py con DATABASE_URL en una base nueva).

Llena la base con casos repartidos en cinco años (55 % mediación, 45 % asesoría; teléfono
45 %, módulo 20 %, web 20 %, presencial 15 %), sus hechos (`HechoCaso`) ya calculados y
consistentes con el caso, y las sesiones de las mediaciones admitidas. Los casos, hechos y
sesiones se escriben con INSERT … SELECT sobre generate_series (un atajo: no pasan por los
servicios); aparte se miden los hechos calculados de verdad (`hechos.calcular`) sobre casos
recibidos por el servicio y sobre casos del llenado.

Mide en dos tamaños (BENCH_TABLERO_PRIMERO, 100,000, y BENCH_TABLERO_CASOS, 1,000,000):
  - el resumen rehecho completo (`rehacer_dias(None)`) y sus renglones,
  - el refresco incremental (`refrescar()`) tras un evento nuevo en 100 casos,
  - p50/p95 y consultas de /tablero/ (año en curso), /tablero/ de hace dos años,
    /tablero/?localidad= (cuenta sobre los hechos) y /transparencia/,
  - el selector solo (`selectors.tablero`) desde los hechos («antes del resumen») y desde el
    resumen («después»).
Imprime un JSON al final; el avance va a BENCH_TABLERO_BITACORA (var/bench/tablero.log).
"""

import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

PRIMERO = int(os.getenv("BENCH_TABLERO_PRIMERO", "100000"))
CASOS = int(os.getenv("BENCH_TABLERO_CASOS", "1000000"))
MUESTRAS = int(os.getenv("BENCH_TABLERO_MUESTRAS", "30"))
MUESTRAS_HECHOS = int(os.getenv("BENCH_TABLERO_MUESTRAS_HECHOS", str(MUESTRAS)))
REALES = int(os.getenv("BENCH_TABLERO_REALES", "2000"))
LOTE = int(os.getenv("BENCH_TABLERO_LOTE", "100000"))
TOCADOS = 100
CALENTAMIENTO = 3
OBJETIVO_MS = 150
BITACORA = Path(os.getenv("BENCH_TABLERO_BITACORA", str(RAIZ / "var" / "bench" / "tablero.log")))
ZONA = "America/Mexico_City"
DEPENDENCIAS = [
    "DIF municipal",
    "Fiscalía del Estado",
    "Procuraduría de la Defensa del Trabajo",
    "PROFECO",
    "Registro Civil",
    "Catastro municipal",
    "Instituto de la Mujer",
    "Defensoría Pública",
]
CAUSAS = ["rechazo_invitada", "inasistencias", "desistimiento", "conducta", "plazo", "otra"]
_INICIO = time.perf_counter()


def avance(texto: str) -> None:
    linea = f"[{time.perf_counter() - _INICIO:7.1f} s] {texto}"
    print(linea, file=sys.stderr, flush=True)
    BITACORA.parent.mkdir(parents=True, exist_ok=True)
    with BITACORA.open("a") as archivo:
        archivo.write(linea + "\n")


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    k = max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))
    return ordenados[k]


# --- Catálogos y casos reales ---------------------------------------------------------


def catalogos(hoy: date) -> dict:
    """Localidades, categorías, personal, módulos (120 jornadas al año) y la Dirección."""
    import random

    from django.contrib.auth.models import Group, User

    from casos.models import Categoria, Localidad, Modulo, TipoCaso

    azar = random.Random(7)
    for n in range(Localidad.objects.count(), 30):
        Localidad.objects.create(nombre=f"Localidad de prueba {n + 1}", orden=200 + n)
    localidades = list(Localidad.objects.order_by("pk"))
    for tipo in (TipoCaso.MEDIACION, TipoCaso.ASESORIA):
        for n in range(Categoria.objects.filter(tipo=tipo).count(), 10):
            Categoria.objects.create(
                nombre=f"Categoría {tipo} {n + 1}", tipo=tipo, canalizar=n in (7, 8)
            )
    usuarios = {"mediador": [], "asesor": []}
    for n in range(15):
        rol = "mediador" if n < 9 else "asesor"
        u = User.objects.create_user(
            f"bench-{rol}-{n}", first_name=f"{rol.capitalize()} {n}", last_name="Prueba"
        )
        u.groups.add(Group.objects.get(name=rol))
        usuarios[rol].append(u.pk)
    direccion = User.objects.create_user("bench-direccion", first_name="Dirección")
    direccion.groups.add(Group.objects.get(name="direccion"))
    modulos = []
    for anio in range(hoy.year - 5, hoy.year + 1):
        dias = sorted(azar.sample(range(365), 120))
        for n, d in enumerate(dias):
            fecha = date(anio, 1, 1) + timedelta(days=d)
            if date(hoy.year - 5, hoy.month, 1) <= fecha <= hoy:
                modulos.append(
                    Modulo(
                        nombre=f"Módulo {n + 1}",
                        lugar="Plaza principal",
                        localidad=azar.choice(localidades),
                        fecha=fecha,
                    )
                )
    Modulo.objects.bulk_create(modulos)
    return {"direccion": direccion, **usuarios}


def casos_reales(cuantos: int) -> tuple[list[int], float]:
    """Casos recibidos por el servicio (mitad mediación con dos partes, mitad asesoría)."""
    from casos import services
    from casos.models import AvisoPrivacidad, Canal, Categoria, Localidad, TipoCaso

    aviso = AvisoPrivacidad.vigente()
    localidad = Localidad.objects.first()
    categorias = {
        t: Categoria.objects.filter(tipo=t, canalizar=False).first()
        for t in (TipoCaso.MEDIACION, TipoCaso.ASESORIA)
    }
    ids = []
    t0 = time.perf_counter()
    for n in range(cuantos):
        tipo = TipoCaso.MEDIACION if n % 2 == 0 else TipoCaso.ASESORIA
        recibida = services.recibir_solicitud(
            tipo=tipo,
            canal=Canal.TELEFONO,
            categoria=categorias[tipo],
            localidad=localidad,
            resumen="Conflicto vecinal por ruido.",
            solicitante=services.DatosPersona(nombre=f"Real {n}", telefono=f"+5233{70000000 + n}"),
            otra_parte=services.DatosPersona(nombre="Vecino", domicilio="Calle Hidalgo 3")
            if tipo == TipoCaso.MEDIACION
            else None,
            aviso=aviso,
        )
        ids.append(recibida.caso.pk)
    return ids, time.perf_counter() - t0


def medir_calculo(ids: list[int]) -> dict:
    """`hechos.calcular` en lotes de 2,000 (como `rehacer`), sin guardar."""
    from estadistica import hechos
    from estadistica.resumen import LOTE as LOTE_HECHOS

    t0 = time.perf_counter()
    calculados = 0
    for i in range(0, len(ids), LOTE_HECHOS):
        calculados += len(hechos.calcular(ids[i : i + LOTE_HECHOS]))
    segundos = time.perf_counter() - t0
    return {"casos": calculados, "segundos": segundos, "por_segundo": calculados / segundos}


# --- Llenado directo en SQL -------------------------------------------------------------


def _tabla_temporal(cursor, nombre: str, columnas: str, filas: list[tuple]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {nombre}")
    cursor.execute(f"CREATE TEMP TABLE {nombre} ({columnas})")
    marcas = ", ".join(["%s"] * len(filas[0]))
    cursor.executemany(f"INSERT INTO {nombre} VALUES ({marcas})", filas)


def preparar_busquedas(cursor, personal: dict) -> None:
    """Tablas temporales con los catálogos numerados (k = 0…n-1) para elegirlos al azar."""
    from casos.models import Categoria, Localidad, Modulo

    _tabla_temporal(
        cursor,
        "b_loc",
        "k int, id bigint",
        [
            (k, pk)
            for k, pk in enumerate(Localidad.objects.order_by("pk").values_list("pk", flat=True))
        ],
    )
    for tipo, nombre in (("MED", "b_cat_med"), ("ASE", "b_cat_ase")):
        filas = Categoria.objects.filter(tipo=tipo).order_by("pk").values_list("pk", "canalizar")
        _tabla_temporal(
            cursor,
            nombre,
            "k int, id bigint, canalizar bool",
            [(k, pk, c) for k, (pk, c) in enumerate(filas)],
        )
    modulos = Modulo.objects.order_by("fecha", "pk").values_list("pk", "fecha", "localidad_id")
    _tabla_temporal(
        cursor,
        "b_mod",
        "k int, id bigint, fecha date, localidad_id bigint",
        [(k, *m) for k, m in enumerate(modulos)],
    )
    for rol, nombre in (("mediador", "b_med"), ("asesor", "b_ase")):
        _tabla_temporal(
            cursor, nombre, "k int, id int", [(k, pk) for k, pk in enumerate(personal[rol])]
        )
    cursor.execute("CREATE INDEX ON b_mod (k)")
    cursor.execute("ANALYZE b_loc, b_cat_med, b_cat_ase, b_mod, b_med, b_ase")


# Un renglón por caso con todo lo que se decide al azar; de aquí salen caso, hecho y sesiones.
_GENERAR = """
CREATE TEMP TABLE b_gen AS
WITH base AS (
  SELECT i, CASE WHEN random() < 0.55 THEN 'MED' ELSE 'ASE' END AS tipo,
         random() AS r_canal, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
         random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r_hora,
         floor(random() * (SELECT count(*) FROM b_loc))::int AS kloc,
         floor(random() * (SELECT count(*) FROM b_mod))::int AS kmod,
         floor(random() * 10)::int AS kcat,
         random() AS r_per,
         (%(inicio)s::date + floor(random() * %(dias)s)::int) AS dia_azar
  FROM generate_series(%(a)s, %(b)s) AS i
), canal AS (
  SELECT b.*,
    CASE WHEN r_canal < 0.45 THEN 'telefono' WHEN r_canal < 0.65 THEN 'modulo'
         WHEN r_canal < 0.85 THEN 'web' ELSE 'presencial' END AS canal
  FROM base b
), lugar AS (
  SELECT c.*,
    CASE WHEN c.canal = 'modulo' THEN m.id END AS modulo_id,
    CASE WHEN c.canal = 'modulo' THEN m.fecha ELSE c.dia_azar END AS dia,
    CASE WHEN c.canal = 'modulo' THEN m.localidad_id ELSE l.id END AS localidad_id,
    COALESCE(cm.id, ca.id) AS categoria_id,
    COALESCE(cm.canalizar, ca.canalizar) AS sensible
  FROM canal c
  JOIN b_mod m ON m.k = c.kmod
  JOIN b_loc l ON l.k = c.kloc
  LEFT JOIN b_cat_med cm ON c.tipo = 'MED' AND cm.k = c.kcat
  LEFT JOIN b_cat_ase ca ON c.tipo = 'ASE' AND ca.k = c.kcat
), edad AS (
  SELECT l.*, (%(hoy)s::date - l.dia) AS edad,
    LEAST(floor(power(l.r2, 1.6) * 126)::int, %(hoy)s::date - l.dia) AS dias_cal
  FROM lugar l
), cierre AS (
  SELECT e.*,
    e.r1 < CASE WHEN e.edad > 150 THEN 0.97 WHEN e.edad > 60 THEN 0.85
                WHEN e.edad > 20 THEN 0.55 ELSE 0.2 END AS concluye,
    CASE WHEN e.tipo <> 'MED' THEN ''
         WHEN e.r3 < 0.08 THEN 'no_admitida'
         WHEN e.r3 < 0.13 OR e.sensible THEN 'canalizada'
         ELSE 'admitida' END AS decision
  FROM edad e
), resultado AS (
  SELECT c.*,
    CASE WHEN NOT c.concluye THEN ''
         WHEN c.tipo = 'MED' AND c.decision <> 'admitida' THEN c.decision
         WHEN c.tipo = 'MED' THEN
           CASE WHEN c.r5 < 0.40 THEN 'convenio_total' WHEN c.r5 < 0.52 THEN 'convenio_parcial'
                WHEN c.r5 < 0.70 THEN 'sin_acuerdo' ELSE 'anticipada' END
         WHEN c.r5 < 0.40 THEN 'primer_contacto' WHEN c.r5 < 0.75 THEN 'resuelta'
         WHEN c.r5 < 0.90 THEN 'canalizada' ELSE 'convertida' END AS resultado
  FROM cierre c
)
SELECT r.*,
  CASE WHEN r.resultado = 'anticipada' THEN (%(causas)s::text[])[1 + floor(r.r6 * 6)::int]
       ELSE '' END AS causa,
  CASE WHEN r.concluye THEN r.dia + r.dias_cal END AS concluido,
  CASE WHEN r.concluye THEN (r.dias_cal * 5) / 7 END AS dias_a_cierre,
  CASE WHEN r.tipo = 'MED' AND (r.decision <> 'admitida' OR r.concluye OR r.edad > 7
                                 OR r.r4 < 0.5) THEN r.decision
       WHEN r.tipo = 'MED' THEN 'pendiente' ELSE '' END AS revision,
  (r.resultado LIKE 'convenio%%' AND r.r7 < 0.05) AS incumplido,
  CASE WHEN r.tipo = 'ASE' AND r.concluye AND r.r4 < 0.3
       THEN LEAST(5, 1 + floor(sqrt(r.r7) * 5)::int) END AS satisfaccion,
  CASE WHEN r.resultado = 'canalizada' AND r.tipo = 'ASE'
       THEN (%(dependencias)s::text[])[1 + floor(r.r6 * 8)::int] ELSE '' END AS dependencia
FROM resultado r
"""

# Lo que depende de lo anterior: admisión, responsable, plazos y las fechas de las sesiones.
_COMPLETAR = """
CREATE TEMP TABLE b_caso AS
WITH g AS (
  SELECT g.*,
    CASE WHEN g.revision = 'admitida'
         THEN g.dia + LEAST(2, COALESCE(g.dias_cal, g.edad)) END AS admitido,
    CASE WHEN g.tipo = 'MED' AND g.revision <> 'pendiente'
           THEN (SELECT id FROM b_med WHERE k = floor(g.r_per * (SELECT count(*) FROM b_med)))
         WHEN g.tipo = 'ASE'
           THEN (SELECT id FROM b_ase WHERE k = floor(g.r_per * (SELECT count(*) FROM b_ase)))
    END AS responsable_id,
    CASE WHEN g.revision = 'admitida' THEN
      1 + (g.r8 < 0.25)::int + (g.r8 < 0.08)::int ELSE 0 END AS sesiones
  FROM b_gen g
), s AS (
  SELECT g.*,
    ARRAY(
      SELECT LEAST(d + CASE extract(isodow FROM d) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END,
                   COALESCE(g.concluido, d + 7))::date
      FROM (SELECT g.admitido + 3 + 7 * (n - 1) AS d FROM generate_series(1, g.sesiones) n) x
    ) AS dias_sesion
  FROM g
)
SELECT s.*,
  CASE WHEN s.revision = 'admitida' THEN
    CASE WHEN s.concluye THEN
      CASE WHEN s.r6 < 0.85 THEN 'a_tiempo' WHEN s.r6 < 0.95 THEN 'fuera' ELSE 'vencido' END
    WHEN s.edad > 15 THEN CASE WHEN s.r6 < 0.8 THEN 'a_tiempo' ELSE 'vencido' END
    ELSE 'en_plazo' END ELSE '' END AS invitacion,
  CASE WHEN s.resultado LIKE 'convenio%%' THEN
    CASE WHEN s.r7 < 0.9 THEN 'a_tiempo' ELSE 'fuera' END ELSE '' END AS registro,
  CASE WHEN s.revision = 'admitida' THEN
    CASE WHEN s.concluye THEN CASE WHEN s.dias_cal <= 90 THEN 'a_tiempo' ELSE 'fuera' END
         WHEN s.edad > 90 THEN 'vencido' ELSE 'en_plazo' END ELSE '' END AS procedimiento,
  CASE WHEN s.tipo = 'ASE' THEN
    CASE WHEN s.concluye THEN CASE WHEN s.dias_cal <= 30 THEN 'a_tiempo' ELSE 'fuera' END
         WHEN s.edad > 30 THEN 'vencido' ELSE 'en_plazo' END ELSE '' END AS resolucion,
  CASE
    WHEN s.tipo = 'MED' AND s.concluye THEN
      CASE s.resultado WHEN 'convenio_total' THEN 'concluida_convenio'
        WHEN 'convenio_parcial' THEN 'concluida_convenio'
        WHEN 'sin_acuerdo' THEN 'concluida_sin_acuerdo'
        WHEN 'no_admitida' THEN 'no_admitida' WHEN 'canalizada' THEN 'canalizada'
        ELSE 'cerrada' END
    WHEN s.tipo = 'MED' AND s.revision = 'pendiente' THEN 'en_revision'
    WHEN s.tipo = 'MED' THEN 'sesion'
    WHEN s.concluye THEN CASE WHEN s.resultado IN ('resuelta', 'primer_contacto')
                              THEN 'resuelta' ELSE 'cerrada' END
    ELSE 'en_atencion' END AS estado,
  CASE WHEN s.tipo = 'ASE' AND s.concluye THEN
         CASE WHEN s.resultado = 'canalizada' THEN 'canalizada' ELSE 'resuelta' END
       WHEN s.resultado = 'anticipada' THEN s.causa
       ELSE s.resultado END AS causa_conclusion
FROM s
"""


def _local(fecha_sql: str, hora_sql: str) -> str:
    return f"(({fecha_sql}) + ({hora_sql}))::timestamp AT TIME ZONE '{ZONA}'"


def insertar(cursor, modelo, expresiones: dict[str, str], desde: str, params=None) -> int:
    """INSERT … SELECT con todas las columnas del modelo: las de `expresiones` y, las demás,
    con el valor por omisión del campo."""
    from django.db import connection
    from django.db.models import JSONField

    columnas, valores, extra = [], [], dict(params or {})
    for campo in modelo._meta.concrete_fields:
        columnas.append(campo.column)
        if campo.column in expresiones:
            valores.append(expresiones[campo.column])
            continue
        if campo.primary_key:
            columnas.pop()  # la secuencia pone el id
            continue
        if getattr(campo, "auto_now", False) or getattr(campo, "auto_now_add", False):
            valores.append("now()")
            continue
        valor = campo.get_default()
        if isinstance(campo, JSONField):
            valor = json.dumps(valor)
        clave = f"d_{campo.column}"
        extra[clave] = valor
        valores.append(f"%({clave})s::{campo.db_type(connection)}")
    cursor.execute(
        f"INSERT INTO {modelo._meta.db_table} ({', '.join(columnas)}) "
        f"SELECT {', '.join(valores)} {desde}",
        extra,
    )
    return cursor.rowcount


def _expresiones_caso(aviso: str) -> dict[str, str]:
    recibido = _local("c.dia", "'08:00'::time + c.r_hora * interval '9 hours'")
    admitido = _local("c.admitido", "'10:00'::time")
    concluido = _local("c.concluido", "'13:00'::time")
    anio = "extract(year FROM c.dia)::int"
    numero = "(100000 + c.i)"
    return {
        "id": "c.id",
        "tipo": "c.tipo",
        "folio": f"c.tipo || '-' || {anio} || '-' || {numero}::text",
        "anio": anio,
        "numero": numero,
        "estado": "c.estado",
        "canal": "c.canal",
        "modulo_id": "c.modulo_id",
        "categoria_id": "c.categoria_id",
        "localidad_id": "c.localidad_id",
        "resumen": "'Caso del llenado del benchmark.'",
        "recibido_en": recibido,
        "responsable_id": "c.responsable_id",
        "admitido_en": f"CASE WHEN c.admitido IS NOT NULL THEN {admitido} END",
        "concluido_en": f"CASE WHEN c.concluye THEN {concluido} END",
        "causa_conclusion": "c.causa_conclusion",
        "resultado_seguimiento": (
            "CASE WHEN c.incumplido THEN 'incumplido' "
            "WHEN c.resultado LIKE 'convenio%%' THEN 'cumplido' ELSE '' END"
        ),
        "satisfaccion": "c.satisfaccion",
        "codigo_sal": "substr(md5(c.i::text), 1, 16)",
        "codigo_emitido_en": recibido,
        "aviso_version": f"'{aviso}'",
        "aviso_canal": "CASE WHEN c.canal = 'web' THEN 'web' ELSE c.canal END",
        "aviso_aceptado_en": recibido,
        "actualizado_en": "now()",
    }


_DIAS_DEL_HECHO = """(SELECT COALESCE(jsonb_agg(to_char(d, 'YYYY-MM-DD') ORDER BY d), '[]')
  FROM (SELECT DISTINCT d FROM unnest(c.dias_sesion || ARRAY[c.dia, c.concluido]) AS d
        WHERE d IS NOT NULL) x)"""

_EXPRESIONES_HECHO = {
    "caso_id": "c.id",
    "tipo": "c.tipo",
    "canal": "c.canal",
    "modulo_id": "c.modulo_id",
    "localidad_id": "c.localidad_id",
    "categoria_id": "c.categoria_id",
    "responsable_id": "c.responsable_id",
    "sensible": "c.sensible",
    "recibido": "c.dia",
    "revision": "c.revision",
    "admitido": "c.admitido",
    "abierto": "NOT c.concluye",
    "concluido": "c.concluido",
    "resultado": "c.resultado",
    "causa": "c.causa",
    "incumplido": "c.incumplido",
    "dias_a_cierre": "c.dias_a_cierre",
    "invitacion": "c.invitacion",
    "registro": "c.registro",
    "procedimiento": "c.procedimiento",
    "resolucion": "c.resolucion",
    "dependencia": "c.dependencia",
    "satisfaccion": "c.satisfaccion",
    "dias": _DIAS_DEL_HECHO,
    "calculado_en": "now()",
}

_EXPRESIONES_SESION = {
    "caso_id": "c.id",
    "numero": "n",
    "inicio": _local("c.dias_sesion[n]", "make_time(9 + (c.i + n) %% 6, 0, 0)"),
    "fin": _local("c.dias_sesion[n]", "make_time(10 + (c.i + n) %% 6, 0, 0)"),
    "mediador_id": "c.responsable_id",
    "estado": (
        "CASE WHEN c.dias_sesion[n] > %(hoy)s::date THEN 'programada' "
        "WHEN n = c.sesiones AND c.resultado LIKE 'convenio%%' THEN 'celebrada' "
        "WHEN ((c.i * 7 + n * 13) %% 100) < 75 THEN 'celebrada' "
        "WHEN ((c.i * 7 + n * 13) %% 100) < 88 THEN 'diferida' ELSE 'inasistencia' END"
    ),
}


def llenar_lote(cursor, a: int, b: int, base_id: int, hoy: date, aviso: str) -> dict:
    """Casos i = a…b (ids base_id + i), sus hechos y sesiones."""
    from casos.models import Caso, Sesion
    from estadistica.models import HechoCaso

    inicio = date(hoy.year - 5, hoy.month, 1)
    params = {
        "a": a,
        "b": b,
        "hoy": hoy,
        "inicio": inicio,
        "dias": (hoy - inicio).days + 1,
        "causas": CAUSAS,
        "dependencias": DEPENDENCIAS,
    }
    cursor.execute("DROP TABLE IF EXISTS b_gen; DROP TABLE IF EXISTS b_caso")
    cursor.execute(_GENERAR, params)
    cursor.execute(_COMPLETAR.replace("%%", "%"))
    cursor.execute("ALTER TABLE b_caso ADD COLUMN id bigint")
    cursor.execute("UPDATE b_caso SET id = %s + i", [base_id])
    cuentas = {}
    cuentas["casos"] = insertar(cursor, Caso, _expresiones_caso(aviso), "FROM b_caso c")
    cuentas["hechos"] = insertar(cursor, HechoCaso, _EXPRESIONES_HECHO, "FROM b_caso c")
    cuentas["sesiones"] = insertar(
        cursor,
        Sesion,
        _EXPRESIONES_SESION,
        "FROM b_caso c, generate_series(1, c.sesiones) AS n WHERE c.sesiones > 0",
        {"hoy": hoy},
    )
    return cuentas


def llenar_hasta(total: int, hoy: date, personal: dict) -> dict:
    """Agrega casos directos hasta tener `total` en la base (en lotes de LOTE)."""
    from django.db import connection, transaction

    from casos.models import AvisoPrivacidad, Caso, ContadorFolio

    aviso = AvisoPrivacidad.vigente().version
    t0 = time.perf_counter()
    cuentas = {"casos": 0, "hechos": 0, "sesiones": 0}
    with connection.cursor() as cursor:
        preparar_busquedas(cursor, personal)
        cursor.execute("SELECT COALESCE(max(id), 0) FROM casos_caso")
        base_id = cursor.fetchone()[0] + 1000
        cursor.execute("SELECT COALESCE(max(numero), 0) FROM casos_caso WHERE numero > 100000")
        ya = max(0, cursor.fetchone()[0] - 100000)
        faltan = total - Caso.objects.count()
        for a in range(ya + 1, ya + faltan + 1, LOTE):
            b = min(a + LOTE - 1, ya + faltan)
            with transaction.atomic():
                lote = llenar_lote(cursor, a, b, base_id, hoy, aviso)
            for k, v in lote.items():
                cuentas[k] += v
            avance(f"llenado: casos {a:,}–{b:,} ({time.perf_counter() - t0:.0f} s)")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('casos_caso', 'id'), (SELECT max(id) FROM "
            "casos_caso))"
        )
    for fila in Caso.objects.values("tipo", "anio").order_by().distinct():
        ultimo = Caso.objects.filter(**fila).order_by("-numero").values_list("numero")[0][0]
        ContadorFolio.objects.update_or_create(**fila, defaults={"ultimo": ultimo})
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {**cuentas, "segundos": t1 - t0, "analyze_s": time.perf_counter() - t1}


# --- Resumen y refresco -----------------------------------------------------------------


class Consultas:
    """Envoltura de `connection.execute_wrapper`: tiempo de cada consulta por su clase
    (SELECT, INSERT, DELETE…) y las más lentas con sus parámetros (para EXPLAIN)."""

    def __init__(self):
        self.por_clase: dict[str, list[float]] = {}
        self.lentas: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - t) * 1000
            clase = sql.lstrip().split(" ", 1)[0].upper()
            self.por_clase.setdefault(clase, []).append(ms)
            if clase == "SELECT":
                self.lentas.append((ms, sql, params))
                self.lentas = sorted(self.lentas, key=lambda x: -x[0])[:3]

    def resumen(self, con_plan: bool) -> dict:
        return {
            "por_clase": {
                k: {"consultas": len(v), "ms": sum(v)} for k, v in self.por_clase.items()
            },
            "lentas": [
                {
                    "ms": ms,
                    "sql": sql[:700],
                    "plan": explicar(sql, params) if con_plan else "",
                }
                for ms, sql, params in self.lentas[:2]
            ],
        }


def rehacer_resumen() -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from casos.models import Evento
    from estadistica import resumen
    from estadistica.models import EstadoResumen, ResumenDiario

    consultas = Consultas()
    t0 = time.perf_counter()
    with connection.execute_wrapper(consultas), transaction.atomic():
        renglones = resumen.rehacer_dias(None)
    segundos = time.perf_counter() - t0
    # El refresco siguiente solo verá lo nuevo (los eventos con id mayor): los ya contados
    # quedan fuera del traslape, y los casos abiertos ya se revisaron hoy.
    tope = Evento.objects.order_by("-id").values_list("id", flat=True).first() or 0
    EstadoResumen.objects.update_or_create(
        pk=1,
        defaults={
            "ultimo_evento": tope,
            "datos_al": timezone.now() + resumen.TRASLAPE + timedelta(minutes=5),
            "abiertos_al": timezone.localdate(),
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE estadistica_resumendiario")
    return {
        "segundos": segundos,
        "renglones": renglones,
        "en_tabla": ResumenDiario.objects.count(),
        "consultas": consultas.resumen(con_plan=False),
    }


def refresco_incremental() -> dict:
    """Un evento nuevo en 100 casos del llenado (concluidos y abiertos), y `refrescar()`."""
    from casos.models import Caso, Evento, TipoEvento
    from estadistica import resumen

    ids = list(
        Caso.objects.filter(numero__gt=100000).order_by("?").values_list("pk", flat=True)[:TOCADOS]
    )
    Evento.objects.bulk_create(
        [
            Evento(caso_id=pk, tipo=TipoEvento.CONTACTO, descripcion="Llamada de seguimiento")
            for pk in ids
        ]
    )
    from django.db import connection

    consultas = Consultas()
    t0 = time.perf_counter()
    with connection.execute_wrapper(consultas):
        r = resumen.refrescar()
    return {
        "segundos": time.perf_counter() - t0,
        "casos": r.casos,
        "dias": r.dias,
        "renglones": r.renglones,
        "consultas": consultas.resumen(con_plan=True),
    }


# --- Mediciones -------------------------------------------------------------------------


class PausasGC:
    """Lo que el recolector de basura de Python detiene el proceso (explica picos del p95)."""

    def __init__(self):
        self.ms = 0.0
        self.veces = 0
        self._t = 0.0

    def __call__(self, fase, info):
        if fase == "start":
            self._t = time.perf_counter()
        else:
            self.ms += (time.perf_counter() - self._t) * 1000
            self.veces += 1 if info.get("generation") == 2 else 0

    def __enter__(self):
        import gc

        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        import gc

        gc.callbacks.remove(self)


def cronometrar(funcion, muestras: int) -> dict:
    for _ in range(CALENTAMIENTO):
        funcion()
    tiempos, pausas = [], []
    for _ in range(muestras):
        with PausasGC() as gc_:
            t = time.perf_counter()
            funcion()
            tiempos.append((time.perf_counter() - t) * 1000)
        pausas.append((gc_.ms, gc_.veces))
    lenta = max(range(muestras), key=lambda i: tiempos[i])
    return {
        "muestras": muestras,
        "p50_ms": percentil(tiempos, 50),
        "p95_ms": percentil(tiempos, 95),
        "max_ms": max(tiempos),
        "gc_ms_total": sum(ms for ms, _v in pausas),
        "gc_gen2": sum(v for _ms, v in pausas),
        "gc_ms_en_la_mas_lenta": pausas[lenta][0],
    }


def _consultas(funcion) -> tuple[int, list[dict]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as capturadas:
        funcion()
    lentas = sorted(capturadas.captured_queries, key=lambda q: -float(q["time"]))
    detalle = {
        "ms_en_consultas": sum(float(q["time"]) * 1000 for q in capturadas.captured_queries),
        "todas": [q["sql"][:160] for q in capturadas.captured_queries],
    }
    return (
        len(capturadas),
        [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in lentas[:5]],
        detalle,
    )


def explicar(sql: str, params=None) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(fila[0] for fila in cursor.fetchall())


def medir_paginas(direccion, hoy: date) -> dict:
    from django.test import Client

    from casos.models import Localidad
    from estadistica import selectors
    from estadistica.forms import FiltrosForm

    cliente = Client()
    cliente.force_login(direccion)
    publico = Client()
    localidad = Localidad.objects.order_by("pk").first()

    def pagina(c, url):
        def pedir():
            respuesta = c.get(url)
            assert respuesta.status_code == 200, (url, respuesta.status_code)

        return pedir

    def selector(desde_hechos):
        def contar():
            filtros = FiltrosForm({}).filtros()
            selectors.tablero(usuario=direccion, filtros=filtros, desde_hechos=desde_hechos)

        return contar

    medidas = {
        "tablero": ("/tablero/", pagina(cliente, "/tablero/"), MUESTRAS),
        "tablero_hace_dos_anios": (
            f"/tablero/?periodo=anio&anio={hoy.year - 2}",
            pagina(cliente, f"/tablero/?periodo=anio&anio={hoy.year - 2}"),
            MUESTRAS,
        ),
        "tablero_filtrado": (
            f"/tablero/?localidad={localidad.pk}",
            pagina(cliente, f"/tablero/?localidad={localidad.pk}"),
            MUESTRAS_HECHOS,
        ),
        "transparencia": ("/transparencia/", pagina(publico, "/transparencia/"), MUESTRAS),
        "selector_resumen": ("selectors.tablero (resumen)", selector(False), MUESTRAS),
        "selector_hechos": (
            "selectors.tablero (desde_hechos=True)",
            selector(True),
            MUESTRAS_HECHOS,
        ),
    }
    # Lo que dejó el llenado (millones de objetos) queda fuera del recolector: así mide como
    # un worker de gunicorn recién arrancado, que no los tiene, en vez de medir las pausas de
    # recolectar lo del llenado.
    import gc

    gc.collect()
    gc.freeze()
    resultado = {}
    try:
        for clave, (etiqueta, funcion, muestras) in medidas.items():
            avance(f"midiendo {etiqueta} ({muestras} muestras)")
            m = cronometrar(funcion, muestras)
            m["etiqueta"] = etiqueta
            m["consultas"], m["lentas"], detalle = _consultas(funcion)
            m.update(detalle)
            resultado[clave] = m
    finally:
        gc.unfreeze()
    return resultado


def explicar_lentas(paginas: dict) -> dict:
    """EXPLAIN ANALYZE de las dos consultas más lentas de cada página del resumen que pasa
    del objetivo."""
    explicados = {}
    for clave in ("tablero", "tablero_hace_dos_anios", "transparencia"):
        if paginas[clave]["p95_ms"] <= OBJETIVO_MS:
            continue
        explicados[clave] = [
            {"ms": q["ms"], "sql": q["sql"], "plan": explicar(q["sql"])}
            for q in paginas[clave]["lentas"][:2]
            if q["sql"].lstrip().upper().startswith("SELECT")
        ]
    return explicados


def medir_partes(direccion) -> dict:
    """Dónde se va el tiempo de /tablero/ (resumen): selector, metas, gráficas y plantilla."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from estadistica import metas, selectors, services
    from estadistica.forms import FiltrosForm

    filtros = FiltrosForm({}).filtros()
    tiempos: dict[str, list[float]] = {}

    def paso(nombre, funcion):
        t = time.perf_counter()
        valor = funcion()
        tiempos.setdefault(nombre, []).append((time.perf_counter() - t) * 1000)
        return valor

    peticion = RequestFactory().get("/tablero/")
    peticion.user = direccion
    for _ in range(CALENTAMIENTO + MUESTRAS):
        form = FiltrosForm({})
        t = paso("selector", lambda: selectors.tablero(usuario=direccion, filtros=filtros))
        avance_ = paso("metas", lambda: metas.avance(anio=filtros.hasta.year))
        graficas = paso("graficas", lambda t=t: services.graficas_del_tablero(t))
        contexto = {
            "form": form,
            "t": t,
            "graficas": graficas,
            "avance": avance_,
            "tabla_metas": metas.tabla_de_avance(avance_),
            "anio": filtros.hasta.year,
            "puede_fijar_metas": True,
            "exportables": list(t.tablas.values()),
            "consulta": "",
        }
        paso(
            "plantilla",
            lambda c=contexto: render_to_string("estadistica/tablero.html", c, request=peticion),
        )
    return {
        nombre: {
            "p50_ms": percentil(v[CALENTAMIENTO:], 50),
            "p95_ms": percentil(v[CALENTAMIENTO:], 95),
        }
        for nombre, v in tiempos.items()
    }


def medir_tamano(total: int, hoy: date, personal: dict) -> dict:
    from casos.models import Caso, Sesion

    avance(f"llenando hasta {total:,} casos")
    llenado = llenar_hasta(total, hoy, personal)
    avance(f"llenado en {llenado['segundos']:.0f} s; rehaciendo el resumen")
    rehecho = rehacer_resumen()
    avance(f"resumen: {rehecho['renglones']:,} renglones en {rehecho['segundos']:.1f} s")
    refresco = refresco_incremental()
    avance(f"refresco: {refresco['casos']} casos en {refresco['segundos']:.2f} s")
    paginas = medir_paginas(personal["direccion"], hoy)
    try:
        partes = medir_partes(personal["direccion"])
    except Exception as error:  # noqa: BLE001 (el desglose es informativo)
        partes = {"error": repr(error)}
    return {
        "casos": Caso.objects.count(),
        "sesiones": Sesion.objects.count(),
        "llenado": llenado,
        "resumen": rehecho,
        "refresco": refresco,
        "paginas": paginas,
        "partes_del_tablero": partes,
        "explicados": explicar_lentas(paginas),
    }


def medir() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from casos.models import Caso
    from estadistica.resumen import _guardar_hechos

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # Se mide la página, no la entrada: la Dirección del benchmark no tiene segundo paso.
    settings.DOS_PASOS_OBLIGATORIO_ROLES = []
    assert connection.vendor == "postgresql", "el tablero se mide en PostgreSQL"
    BITACORA.write_text("")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    hoy = timezone.localdate()
    personal = catalogos(hoy)
    avance(f"recibiendo {REALES:,} casos por el servicio")
    reales, recepcion_s = casos_reales(REALES)
    calculo_reales = medir_calculo(reales)
    from estadistica import hechos

    _guardar_hechos(hechos.calcular(reales))
    avance(f"hechos de casos reales: {calculo_reales['por_segundo']:.0f} casos/s")
    tamanos = []
    for total in sorted({min(PRIMERO, CASOS), CASOS}):
        tamanos.append(medir_tamano(total, hoy, personal))
        if len(tamanos) == 1:
            directos = list(
                Caso.objects.filter(numero__gt=100000)
                .order_by("?")
                .values_list("pk", flat=True)[:REALES]
            )
            calculo_directos = medir_calculo(directos)
            avance(f"hechos de casos del llenado: {calculo_directos['por_segundo']:.0f} casos/s")
    consultas = {
        clave: [t["paginas"][clave]["consultas"] for t in tamanos]
        for clave in tamanos[0]["paginas"]
    }
    return {
        "base": connection.vendor,
        "muestras": MUESTRAS,
        "muestras_hechos": MUESTRAS_HECHOS,
        "objetivo_ms": OBJETIVO_MS,
        "recepcion_reales": {"casos": REALES, "segundos": recepcion_s},
        "calculo_hechos_reales": calculo_reales,
        "calculo_hechos_llenado": calculo_directos,
        "extrapolacion_1m_s": 1_000_000 / calculo_reales["por_segundo"],
        "extrapolacion_1m_llenado_s": 1_000_000 / calculo_directos["por_segundo"],
        "tamanos": tamanos,
        "consultas_constantes": all(len(set(v)) == 1 for v in consultas.values()),
        "total_s": time.perf_counter() - _INICIO,
    }


if __name__ == "__main__":
    print(json.dumps(medir(), default=str))
