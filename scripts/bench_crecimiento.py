#!/usr/bin/env python3
"""Crecimiento: las mismas medidas con 10,000, 100,000 y 1,000,000 de casos en PostgreSQL.

La misma base crece: se llena hasta el primer tamaño, se mide, se llena hasta el siguiente,
se mide, etc. El llenado es SQL (`INSERT … SELECT` sobre `generate_series`), con los
renglones completos que escribe el sistema: caso, dos partes, tres eventos públicos, el
proceso de viewflow y su tarea de revisión. Los casos viejos están concluidos (proceso y
tarea terminados); los `ABIERTAS` más recientes tienen su tarea de revisión abierta (200 de
ellas, de la coordinación: la bandeja; el resto sin dueño: la cola).

En cada tamaño, en proceso (cliente de pruebas de Django o la función de servicio), p50/p95
y número de consultas de:
  - la recepción por el servicio (`casos.services.recibir_solicitud`, mediación, 2 partes)
    y su piso verdadero: los mismos renglones escritos a mano en una transacción con
    `cursor.execute` (contador del folio, caso, partes, evento, proceso, sus dos tareas y
    la relación entre ellas, el aviso de acuse en la bandeja de salida y el acuse en PDF por
    generar), en la misma base, alternando una muestra de cada uno,
  - la página de estado (POST /consulta/ con folio y código correctos, otra IP cada vez),
  - Open311 GET requests/{id}.json,
  - la bandeja, la cola y la página de un caso (la coordinación).
Cada página se mide alternando con su piso: una vista que responde «ok» tras toda la pila de
middleware (`/_piso/` de `piso.urls`), con la misma sesión o sin ella; la razón página/piso
de cada tamaño no depende de cuánto trabaje la máquina compartida en ese momento.
Cada consulta se hace sobre un caso al azar de toda la base. Además guarda los enunciados
de una recepción y el EXPLAIN ANALYZE de la consulta más lenta de cada página en el tamaño
mayor, y en cada tamaño el plan de la primera página de la cola (tal cual y sin la
condición redundante sobre el estado). Se ejecuta desde bench.py (`--solo-crecimiento`).
Imprime un JSON al final.

Variables: BENCH_CRECIMIENTO_TAMANOS (p. ej. «10000,50000» para desarrollar),
BENCH_CRECIMIENTO_MUESTRAS (páginas), BENCH_CRECIMIENTO_RECEPCIONES, BENCH_CRECIMIENTO_ABIERTAS.
"""

import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(RAIZ / "scripts"))

TAMANOS = [
    int(t)
    for t in os.getenv("BENCH_CRECIMIENTO_TAMANOS", "10000,100000,1000000").split(",")
    if t.strip()
]
MUESTRAS = int(os.getenv("BENCH_CRECIMIENTO_MUESTRAS", "60"))
RECEPCIONES = int(os.getenv("BENCH_CRECIMIENTO_RECEPCIONES", "200"))
ABIERTAS = int(os.getenv("BENCH_CRECIMIENTO_ABIERTAS", "2000"))
PROPIAS = 200
LOTE = 100_000
ANIO = 2000  # la serie de folios del llenado; la recepción medida usa la del año en curso
_INICIO = time.perf_counter()


def avance(texto: str) -> None:
    print(
        f"[crecimiento {time.perf_counter() - _INICIO:6.0f} s] {texto}", file=sys.stderr, flush=True
    )


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[max(0, min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1))))]


VARIABLE = object()  # en `columnas`: la columna cambia en cada renglón (un %s por llenar)


def columnas(modelo, plantilla, expresiones: dict) -> tuple[str, str, list]:
    """Columnas de la tabla de `modelo` (sin la llave autonumérica), la expresión SQL de cada
    una y sus parámetros: la de `expresiones` (por nombre de columna; texto SQL o (texto,
    parámetros)) o el valor que Django
    guardaría para `plantilla` (con sus valores por omisión y `auto_now`)."""
    from django.db import connection

    nombres, valores, parametros = [], [], []
    for campo in modelo._meta.concrete_fields:
        if campo.primary_key and campo.column not in expresiones:
            continue
        nombres.append(connection.ops.quote_name(campo.column))
        if expresiones.get(campo.column) is VARIABLE:
            valores.append("%s")
            parametros.append(VARIABLE)
            continue
        if campo.column in expresiones:
            expresion = expresiones[campo.column]
            if isinstance(expresion, tuple):
                expresion, propios = expresion
                parametros.extend(propios)
            valores.append(expresion)
            continue
        valor = campo.get_db_prep_save(campo.pre_save(plantilla, add=True), connection)
        valores.append(f"CAST(%s AS {campo.db_type(connection)})")
        parametros.append(valor)
    return ", ".join(nombres), ", ".join(valores), parametros


def folio_sql(numero: str) -> str:
    """El folio que arma `codigos.formatear_folio` (al menos cinco cifras)."""
    return (
        f"'MED-{ANIO}-' || CASE WHEN {numero} < 100000 THEN lpad({numero}::text, 5, '0') "
        f"ELSE {numero}::text END"
    )


class Llenado:
    def __init__(self):
        from django.contrib.auth.models import Group, User
        from django.contrib.contenttypes.models import ContentType

        from casos.models import AvisoPrivacidad, Caso, Categoria, Localidad

        self.coordinadora = User.objects.create_user(
            "bench-crecimiento", first_name="Coordinadora", last_name="Bench"
        )
        self.coordinadora.groups.add(Group.objects.get(name="coordinador"))
        self.categoria = Categoria.objects.filter(tipo="MED", canalizar=False).first()
        self.localidades = list(Localidad.objects.values_list("pk", flat=True))
        self.aviso = AvisoPrivacidad.vigente()
        self.tipo_caso = ContentType.objects.get_for_model(Caso)
        self.abiertas_hasta = 0  # casos del llenado con tarea abierta: los > total - ABIERTAS

    def hasta(self, total: int) -> dict:
        from django.db import connection, transaction

        from casos.models import Caso

        tiempos = {}
        ya = Caso.objects.filter(anio=ANIO).count()
        t = time.perf_counter()
        for inicio in range(ya + 1, total + 1, LOTE):
            fin = min(inicio + LOTE - 1, total)
            avance(f"llenando casos {inicio:,}–{fin:,}")
            with transaction.atomic():
                self._lote(inicio, fin)
        tiempos["insertar_s"] = time.perf_counter() - t
        t = time.perf_counter()
        with transaction.atomic():
            self._abrir_los_recientes(total)
        tiempos["abrir_s"] = time.perf_counter() - t
        t = time.perf_counter()
        avance("VACUUM ANALYZE")
        with connection.cursor() as cursor:
            # Lo que haría autovacuum tras una carga masiva.
            cursor.execute("VACUUM ANALYZE")
        tiempos["vacuum_s"] = time.perf_counter() - t
        tiempos["total_s"] = sum(tiempos.values())
        return tiempos

    def _lote(self, inicio: int, fin: int) -> None:
        from django.db import connection
        from django.utils import timezone
        from viewflow.workflow.models import Process, Task
        from viewflow.workflow.status import STATUS
        from viewflow.workflow.token import Token

        from casos.models import Canal, Caso, Estado, Evento, Parte, RolParte, TipoEvento
        from flujos.flows import MediacionFlow

        ahora = timezone.now()
        localidades = "ARRAY[" + ",".join(str(pk) for pk in self.localidades) + "]"
        plantilla = Caso(
            tipo="MED",
            folio="",
            anio=ANIO,
            numero=0,
            estado=Estado.CONCLUIDA_CONVENIO,
            canal=Canal.TELEFONO,
            categoria=self.categoria,
            resumen="Relato privado del caso.",
            recibido_en=ahora,
            admitido_en=ahora,
            codigo_sal="0",
            codigo_emitido_en=ahora,
            aviso_version=self.aviso.version,
            aviso_canal=Canal.TELEFONO,
            aviso_aceptado_en=ahora,
        )
        # Más viejo cuanto menor el número: uno cada cinco minutos hacia atrás.
        recibido = ("%s::timestamptz - (1000000 - n) * interval '5 minutes'", [ahora])
        nombres, valores, parametros = columnas(
            Caso,
            plantilla,
            {
                "folio": folio_sql("n"),
                "numero": "n",
                "localidad_id": f"({localidades})[1 + n %% {len(self.localidades)}]",
                "recibido_en": recibido,
                "admitido_en": (recibido[0] + " + interval '1 day'", [ahora]),
                "aviso_aceptado_en": recibido,
            },
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO casos_caso ({nombres}) SELECT {valores} "
                "FROM generate_series(%s, %s) AS n",
                [*parametros, inicio, fin],
            )
            de_lote = f"FROM casos_caso c WHERE c.anio = {ANIO} AND c.numero BETWEEN %s AND %s"
            for rol, nombre, extra in (
                (
                    RolParte.SOLICITANTE,
                    "'Persona ' || c.numero",
                    {"telefono": "'+5233' || (10000000 + c.numero)"},
                ),
                (RolParte.INVITADA, "'Vecino de enfrente'", {"domicilio": "'Calle Hidalgo 3'"}),
            ):
                nombres, valores, parametros = columnas(
                    Parte,
                    Parte(rol=rol, nombre="", nombre_busqueda=""),
                    {
                        "caso_id": "c.id",
                        "nombre": nombre,
                        "nombre_busqueda": "lower(" + nombre + ")",
                        **extra,
                    },
                )
                cursor.execute(
                    f"INSERT INTO casos_parte ({nombres}) SELECT {valores} {de_lote}",
                    [*parametros, inicio, fin],
                )
            for k, tipo in enumerate(
                (TipoEvento.RECIBIDA, TipoEvento.ADMITIDA, TipoEvento.CONCLUIDA)
            ):
                nombres, valores, parametros = columnas(
                    Evento,
                    Evento(tipo=tipo, descripcion="Paso del caso", publico=True, creado_en=ahora),
                    {"caso_id": "c.id", "creado_en": f"c.recibido_en + interval '{k} days'"},
                )
                cursor.execute(
                    f"INSERT INTO casos_evento ({nombres}) SELECT {valores} {de_lote}",
                    [*parametros, inicio, fin],
                )
            nombres, valores, parametros = columnas(
                Process,
                Process(
                    flow_class=MediacionFlow,
                    status=STATUS.DONE,
                    artifact_content_type=self.tipo_caso,
                    artifact_object_id=0,
                    finished=ahora,
                ),
                {"artifact_object_id": "c.id", "created": "c.recibido_en"},
            )
            cursor.execute(
                f"INSERT INTO viewflow_process ({nombres}) SELECT {valores} {de_lote}",
                [*parametros, inicio, fin],
            )
            nombres, valores, parametros = columnas(
                Task,
                Task(
                    flow_task=MediacionFlow.revisar,
                    flow_task_type="HUMAN",
                    status=STATUS.DONE,
                    owner_permission="casos.revisar_solicitud",
                    token=Token("start/"),
                    finished=ahora,
                ),
                {
                    "process_id": "p.id",
                    "created": "c.recibido_en",
                    "scheduled": "c.recibido_en + interval '10 days'",
                },
            )
            cursor.execute(
                f"INSERT INTO viewflow_task ({nombres}) SELECT {valores} FROM casos_caso c "
                "JOIN viewflow_process p ON p.artifact_object_id = c.id "
                f"AND p.artifact_content_type_id = {self.tipo_caso.pk} "
                f"WHERE c.anio = {ANIO} AND c.numero BETWEEN %s AND %s",
                [*parametros, inicio, fin],
            )

    def _abrir_los_recientes(self, total: int) -> None:
        """Cierra las tareas que abrió el tamaño anterior y abre las de los `ABIERTAS` casos más
        recientes del llenado (200 de ellas, de la coordinación)."""
        from django.db import connection
        from viewflow.workflow.status import STATUS

        from casos.models import Estado

        desde = max(1, total - ABIERTAS + 1)
        cada = max(1, ABIERTAS // PROPIAS)
        unir = (
            "FROM viewflow_process p JOIN casos_caso c ON p.artifact_object_id = c.id "
            f"AND p.artifact_content_type_id = {self.tipo_caso.pk} "
            f"WHERE t.process_id = p.id AND c.anio = {ANIO} AND c.numero BETWEEN %s AND %s"
        )
        with connection.cursor() as cursor:
            if self.abiertas_hasta:
                anterior = (max(1, self.abiertas_hasta - ABIERTAS + 1), self.abiertas_hasta)
                cursor.execute(
                    "UPDATE viewflow_task t SET status = %s, owner_id = NULL, finished = now() "
                    + unir,
                    [STATUS.DONE, *anterior],
                )
                cursor.execute(
                    "UPDATE viewflow_process SET status = %s, finished = now() FROM casos_caso c "
                    "WHERE viewflow_process.artifact_object_id = c.id AND c.anio = %s "
                    "AND c.numero BETWEEN %s AND %s",
                    [STATUS.DONE, ANIO, *anterior],
                )
                cursor.execute(
                    "UPDATE casos_caso SET estado = %s "
                    "WHERE anio = %s AND numero BETWEEN %s AND %s",
                    [Estado.CONCLUIDA_CONVENIO, ANIO, *anterior],
                )
            # Las abiertas son de la última semana (una cada cinco minutos), como en la
            # operación: lo reciente está abierto, lo viejo concluido.
            cursor.execute(
                "UPDATE casos_caso SET estado = %s, admitido_en = NULL, "
                "recibido_en = now() - (%s - numero) * interval '5 minutes', "
                "aviso_aceptado_en = now() - (%s - numero) * interval '5 minutes' "
                "WHERE anio = %s AND numero BETWEEN %s AND %s",
                [Estado.RECIBIDA, total, total, ANIO, desde, total],
            )
            cursor.execute(
                "UPDATE viewflow_task t SET finished = NULL, created = c.recibido_en, "
                "scheduled = c.recibido_en + interval '10 days', "
                f"status = CASE WHEN c.numero %% {cada} = 0 THEN %s ELSE %s END, "
                f"owner_id = CASE WHEN c.numero %% {cada} = 0 THEN %s END " + unir,
                [STATUS.ASSIGNED, STATUS.NEW, self.coordinadora.pk, desde, total],
            )
            cursor.execute(
                "UPDATE viewflow_process SET status = %s, finished = NULL, "
                "created = c.recibido_en FROM casos_caso c "
                "WHERE viewflow_process.artifact_object_id = c.id AND c.anio = %s "
                "AND c.numero BETWEEN %s AND %s",
                [STATUS.NEW, ANIO, desde, total],
            )
        self.abiertas_hasta = total


def cronometrar(funcion, veces: int, calentamiento: int = 5) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for k in range(calentamiento):
        funcion(k)
    tiempos = []
    for k in range(veces):
        t = time.perf_counter()
        funcion(calentamiento + k)
        tiempos.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as consultas:
        funcion(calentamiento + veces)
    return {
        "p50_ms": percentil(tiempos, 50),
        "p95_ms": percentil(tiempos, 95),
        "consultas": len(consultas),
        "ms_en_base": sum(float(q["time"]) for q in consultas.captured_queries) * 1000,
        "enunciados": [q["sql"] for q in consultas.captured_queries],
    }


def cronometrar_alternando(a, b, veces: int) -> tuple[dict, dict]:
    """Como `cronometrar`, una muestra de `a` y una de `b` a la vez: el ruido de la máquina
    compartida cae en las dos y su razón es la de la misma corrida."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for k in range(5):
        a(k)
        b(k)
    tiempos = ([], [])
    for k in range(5, 5 + veces):
        for funcion, lista in ((a, tiempos[0]), (b, tiempos[1])):
            t = time.perf_counter()
            funcion(k)
            lista.append((time.perf_counter() - t) * 1000)
    resultado = []
    for funcion, lista in ((a, tiempos[0]), (b, tiempos[1])):
        with CaptureQueriesContext(connection) as consultas:
            funcion(5 + veces)
        resultado.append(
            {
                "p50_ms": percentil(lista, 50),
                "p95_ms": percentil(lista, 95),
                "consultas": len(consultas),
                "ms_en_base": sum(float(q["time"]) for q in consultas.captured_queries) * 1000,
                "enunciados": [q["sql"] for q in consultas.captured_queries],
            }
        )
    return resultado[0], resultado[1]


class Recepcion:
    """La recepción por el servicio y su piso: los mismos renglones a mano."""

    def __init__(self, llenado: Llenado):
        from django.utils import timezone
        from viewflow.workflow.models import Process, Task
        from viewflow.workflow.status import STATUS
        from viewflow.workflow.token import Token

        from casos import codigos, services
        from casos.models import (
            Canal,
            Caso,
            ContadorFolio,
            Estado,
            Evento,
            Parte,
            RolParte,
            TipoEvento,
        )
        from flujos.flows import MediacionFlow
        from notificaciones.models import Mensaje
        from plantillas.documentos import DOCUMENTOS
        from plantillas.models import Documento, TipoDocumento

        self.services = services
        self.llenado = llenado
        # Una serie de folios propia del piso, de un año que nadie usa (la del servicio es
        # «MED» del año en curso): mismo contador, mismos índices, sin chocar.
        self.anio = 2099
        self.serie = "MED"
        ContadorFolio.objects.get_or_create(tipo=self.serie, anio=self.anio, defaults={"ultimo": 0})
        ahora = timezone.now()
        self.caso = columnas(
            Caso,
            Caso(
                tipo="MED",
                anio=self.anio,
                estado=Estado.RECIBIDA,
                canal=Canal.TELEFONO,
                categoria=llenado.categoria,
                localidad_id=llenado.localidades[0],
                resumen="Conflicto por ruido en la noche.",
                recibido_en=ahora,
                codigo_emitido_en=ahora,
                aviso_version=llenado.aviso.version,
                aviso_canal=Canal.TELEFONO,
                aviso_aceptado_en=ahora,
            ),
            {"folio": VARIABLE, "numero": VARIABLE, "codigo_sal": VARIABLE},
        )
        self.partes = [
            columnas(
                Parte,
                Parte(rol=rol, nombre=nombre, nombre_busqueda=nombre.lower(), **extra),
                {"caso_id": VARIABLE},
            )
            for rol, nombre, extra in (
                (RolParte.SOLICITANTE, "Piso Bench", {"telefono": "+523350000000"}),
                (RolParte.INVITADA, "Vecino", {"domicilio": "Calle Hidalgo 3"}),
            )
        ]
        self.evento = columnas(
            Evento,
            Evento(
                tipo=TipoEvento.RECIBIDA,
                descripcion="Solicitud de mediación recibida por teléfono.",
                estado_nuevo=Estado.RECIBIDA,
                publico=True,
                creado_en=ahora,
                datos={"aviso_version": llenado.aviso.version, "modulo": None},
            ),
            {"caso_id": VARIABLE},
        )
        self.proceso = columnas(
            Process,
            Process(
                flow_class=MediacionFlow,
                status=STATUS.NEW,
                artifact_content_type=llenado.tipo_caso,
                artifact_object_id=0,
            ),
            {"artifact_object_id": VARIABLE},
        )
        self.inicio = columnas(
            Task,
            Task(
                flow_task=MediacionFlow.inicio,
                flow_task_type="START",
                status=STATUS.DONE,
                token=Token("start"),
                started=ahora,
                finished=ahora,
            ),
            {"process_id": VARIABLE},
        )
        self.revisar = columnas(
            Task,
            Task(
                flow_task=MediacionFlow.revisar,
                flow_task_type="HUMAN",
                status=STATUS.NEW,
                owner_permission="casos.revisar_solicitud",
                token=Token("start"),
                scheduled=ahora + timedelta(days=10),
            ),
            {"process_id": VARIABLE},
        )
        # El aviso de acuse a quien solicita (SMS) y el acuse en PDF por generar.
        self.mensaje = columnas(
            Mensaje,
            Mensaje(
                plantilla="acuse",
                canal="sms",
                destino="+523350000000",
                programado_para=ahora,
                encolado_en=ahora,
            ),
            {"llave": VARIABLE, "caso_id": VARIABLE, "parte_id": VARIABLE},
        )
        self.documento = columnas(
            Documento,
            Documento(
                tipo=TipoDocumento.ACUSE,
                datos={"etiqueta": ""},
                version=1,
                version_plantilla=DOCUMENTOS[TipoDocumento.ACUSE].version,
            ),
            {"caso_id": VARIABLE},
        )
        self.nueva_sal = codigos.nueva_sal
        self.formatear_folio = codigos.formatear_folio

    @staticmethod
    def _insertar(cursor, tabla: str, columnas_, *variables, devolver: bool = True):
        nombres, valores, parametros = columnas_
        fuente = iter(variables)
        parametros = [next(fuente) if p is VARIABLE else p for p in parametros]
        cursor.execute(
            f"INSERT INTO {tabla} ({nombres}) VALUES ({valores})"
            + (" RETURNING id" if devolver else ""),
            parametros,
        )
        return cursor.fetchone()[0] if devolver else None

    def piso(self, _k: int) -> None:
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE casos_contadorfolio SET ultimo = ultimo + 1 "
                "WHERE tipo = %s AND anio = %s RETURNING ultimo",
                [self.serie, self.anio],
            )
            numero = cursor.fetchone()[0]
            folio = self.formatear_folio(self.serie, self.anio, numero)
            caso = self._insertar(cursor, "casos_caso", self.caso, folio, numero, self.nueva_sal())
            nombres, valores, parametros = self.partes[0]
            _n2, valores2, parametros2 = self.partes[1]
            cursor.execute(
                f"INSERT INTO casos_parte ({nombres}) VALUES ({valores}), ({valores2}) "
                "RETURNING id",
                [caso if p is VARIABLE else p for p in parametros]
                + [caso if p is VARIABLE else p for p in parametros2],
            )
            solicitante = cursor.fetchone()[0]
            self._insertar(cursor, "casos_evento", self.evento, caso, devolver=False)
            proceso = self._insertar(cursor, "viewflow_process", self.proceso, caso)
            inicio = self._insertar(cursor, "viewflow_task", self.inicio, proceso)
            revisar = self._insertar(cursor, "viewflow_task", self.revisar, proceso)
            cursor.execute(
                "INSERT INTO viewflow_task_previous (from_task_id, to_task_id) VALUES (%s, %s)",
                [revisar, inicio],
            )
            self._insertar(
                cursor,
                "notificaciones_mensaje",
                self.mensaje,
                f"acuse:{caso}:{solicitante}:sms",
                caso,
                solicitante,
                devolver=False,
            )
            self._insertar(cursor, "plantillas_documento", self.documento, caso, devolver=False)

    def servicio(self, k: int) -> None:
        services = self.services
        from casos.models import Canal, TipoCaso

        services.recibir_solicitud(
            tipo=TipoCaso.MEDIACION,
            canal=Canal.TELEFONO,
            categoria=self.llenado.categoria,
            localidad=self._localidad(),
            resumen="Conflicto por ruido en la noche.",
            solicitante=services.DatosPersona(nombre=f"Bench {k}", telefono=f"+5233{50000000 + k}"),
            otra_parte=services.DatosPersona(nombre="Vecino", domicilio="Calle Hidalgo 3"),
            aviso=self.llenado.aviso,
        )

    def _localidad(self):
        from casos.models import Localidad

        if not hasattr(self, "_loc"):
            self._loc = Localidad.objects.get(pk=self.llenado.localidades[0])
        return self._loc


def muestra_de_casos(total: int, cuantos: int, azar: random.Random) -> list[int]:
    return azar.sample(range(1, total + 1), min(cuantos, total))


def medir_tamano(total: int, llenado: Llenado, recepcion: Recepcion, azar) -> dict:
    from django.test import Client
    from django.urls import reverse

    from casos import codigos
    from open311.identificadores import identificador_de

    resultado = {"casos": total}
    avance(f"{total:,}: recepción por el servicio y su piso")
    resultado["piso"], resultado["recepcion"] = cronometrar_alternando(
        recepcion.piso, recepcion.servicio, RECEPCIONES
    )
    numeros = muestra_de_casos(total, 3 * (MUESTRAS + 10), azar)
    folios = [codigos.formatear_folio("MED", ANIO, n) for n in numeros]
    tramo = MUESTRAS + 10

    publico = Client()
    personal = Client()
    personal.force_login(llenado.coordinadora)

    def piso_de(cliente):
        # El piso de cada página: una vista que responde «ok» tras toda la pila de
        # middleware (`piso.urls`), con la misma sesión (o sin ella) que la página.
        def pedir(_k):
            r = cliente.get("/_piso/")
            assert r.status_code == 200 and r.content == b"ok", r.status_code

        return pedir

    def consulta(k):
        folio = folios[k]
        ip = f"10.{k // 65536 % 256}.{k // 256 % 256}.{k % 256 + 1}"
        r = publico.post(
            "/consulta/",
            {"folio": folio, "codigo": codigos.derivar_codigo(folio, "0")},
            REMOTE_ADDR=ip,
            HTTP_X_FORWARDED_FOR=ip,
        )
        assert r.status_code == 200 and folio.encode() in r.content, (r.status_code, folio)

    def open311(k):
        ident = identificador_de(folios[tramo + k])
        r = publico.get(f"/open311/v2/requests/{ident}.json")
        assert r.status_code == 200, (r.status_code, r.content[:200])

    def pagina(ruta_de):
        def pedir(k):
            ruta = ruta_de(k)
            r = personal.get(ruta)
            assert r.status_code == 200, (ruta, r.status_code)

        return pedir

    for clave, cliente, funcion in (
        ("consulta", publico, consulta),
        ("open311", publico, open311),
        ("bandeja", personal, pagina(lambda k: reverse("flujos:bandeja"))),
        ("cola", personal, pagina(lambda k: reverse("flujos:cola"))),
        ("caso", personal, pagina(lambda k: f"/casos/{folios[2 * tramo + k]}/")),
    ):
        avance(f"{total:,}: {clave}")
        piso, medida = cronometrar_alternando(piso_de(cliente), funcion, MUESTRAS)
        medida["piso_p50_ms"] = piso["p50_ms"]
        resultado[clave] = medida
    resultado["plan_cola"] = plan_de_la_cola(resultado["cola"]["enunciados"])
    for clave, _etiqueta in MEDIDAS:
        base = "piso" if clave == "recepcion" else None
        m = resultado[clave]
        m["razon_piso"] = (
            m["p50_ms"] / resultado["piso"]["p50_ms"]
            if base
            else (m["p50_ms"] / m["piso_p50_ms"] if "piso_p50_ms" in m else None)
        )
    return resultado


REDUNDANTE = """"viewflow_task"."status" IN ('NEW', 'ASSIGNED', 'STARTED') AND """


def plan_de_la_cola(enunciados: list[str]) -> dict:
    """La lectura de la primera página de la cola, tal cual y sin la condición redundante
    sobre el estado (`status IN (abiertas)` además de `status = 'NEW'`): el planificador
    multiplica las dos selectividades, estima muy pocos renglones y, con muchas tareas
    terminadas, deja el índice parcial de la cola por el del estado más un ordenamiento."""
    from django.db import connection

    sql = next(
        (
            q
            for q in enunciados
            if q.startswith('SELECT "viewflow_task"."id"') and "LIMIT" in q and REDUNDANTE in q
        ),
        None,
    )
    if sql is None:
        return {}
    resultado = {}
    with connection.cursor() as cursor:
        for nombre, consulta in (
            ("tal_cual", sql),
            ("sin_redundancia", sql.replace(REDUNDANTE, "")),
        ):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + consulta)
            plan = cursor.fetchone()[0][0]
            indices, nodo, pila = [], None, [plan["Plan"]]
            while pila:
                nodo = pila.pop()
                if "Index Name" in nodo and nodo.get("Relation Name") == "viewflow_task":
                    indices.append(nodo["Index Name"])
                    estimadas, reales = nodo["Plan Rows"], nodo["Actual Rows"]
                pila.extend(nodo.get("Plans", []))
            resultado[nombre] = {
                "ms": plan["Execution Time"],
                "indice": indices[0] if indices else "",
                "estimadas": estimadas if indices else None,
                "reales": reales if indices else None,
            }
    return resultado


MEDIDAS = (
    ("recepcion", "recepción (recibir_solicitud)"),
    ("piso", "piso: los mismos renglones a mano"),
    ("consulta", "página de estado (POST /consulta/)"),
    ("open311", "Open311 GET requests/{id}.json"),
    ("bandeja", f"bandeja (/tareas/), {PROPIAS} propias"),
    ("cola", "cola (/tareas/cola/)"),
    ("caso", "página de un caso"),
)


def explicar(enunciados: list[str]) -> list[dict]:
    """EXPLAIN ANALYZE de las lecturas de una página (las tres más lentas)."""
    from django.db import connection

    planes = []
    with connection.cursor() as cursor:
        for sql in enunciados:
            if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql:
                continue
            t = time.perf_counter()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
            planes.append({"ms": (time.perf_counter() - t) * 1000, "sql": sql[:1500], "plan": plan})
    return sorted(planes, key=lambda p: -p["ms"])[:3]


def main() -> int:
    os.environ["DOS_PASOS_OBLIGATORIO_ROLES"] = ""
    # La configuración de producción más el piso de las páginas (`/_piso/`).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piso.ajustes")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # como en producción
    llenado = Llenado()
    recepcion = Recepcion(llenado)
    azar = random.Random(11)
    tamanos, llenados = [], []
    for total in TAMANOS:
        llenados.append({"casos": total, **llenado.hasta(total)})
        avance(f"{total:,} casos: llenado {llenados[-1]['total_s']:.0f} s")
        tamanos.append(medir_tamano(total, llenado, recepcion, azar))
    planes = {
        clave: explicar(tamanos[-1][clave]["enunciados"])
        for clave in ("consulta", "open311", "bandeja", "cola", "caso")
    }
    for t in tamanos[:-1]:
        for clave, _e in MEDIDAS:
            t[clave].pop("enunciados")
    print(
        json.dumps(
            {
                "tamanos": tamanos,
                "llenados": llenados,
                "planes": planes,
                "muestras": MUESTRAS,
                "recepciones": RECEPCIONES,
                "abiertas": ABIERTAS,
                "total_s": time.perf_counter() - _INICIO,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
