"""La supresión de la página pública sobre un volumen con celdas chicas y grandes: ninguna
cifra publicada cuenta menos de 5 casos y ninguna suprimida se despeja de los totales."""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from casos import codigos
from casos.models import AvisoPrivacidad, Canal, Caso, Categoria, Localidad, TipoCaso
from estadistica import resumen, supresion, transparencia
from estadistica.models import HechoCaso

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def _llenar(n: int, semilla: int = 7) -> None:
    """n casos con sus hechos escritos directo (lo que el cálculo de hechos produciría),
    muchos en pocas localidades y unos cuantos en localidades chicas."""
    rng = random.Random(semilla)
    aviso = AvisoPrivacidad.vigente()
    categoria = Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first()
    localidades = list(Localidad.objects.all()[:8])
    casos, hechos = [], []
    for i in range(n):
        tipo = TipoCaso.MEDIACION if rng.random() < 0.6 else TipoCaso.ASESORIA
        canal = rng.choices(Canal.values[:4], weights=[50, 25, 20, 5])[0]
        localidad = localidades[min(int(rng.expovariate(0.9)), len(localidades) - 1)]
        dia = date(2025, rng.randint(1, 12), rng.randint(1, 28))
        casos.append(
            Caso(
                tipo=tipo,
                folio=codigos.formatear_folio(tipo, 2025, i + 1),
                anio=2025,
                numero=i + 1,
                canal=canal,
                categoria=categoria,
                localidad=localidad,
                resumen="Relato.",
                recibido_en=datetime(dia.year, dia.month, dia.day, 10, tzinfo=MX),
                codigo_sal=codigos.nueva_sal(),
                aviso_version=aviso.version,
                aviso_canal=canal,
                aviso_aceptado_en=datetime(2025, 1, 1, tzinfo=MX),
            )
        )
    Caso.objects.bulk_create(casos)
    for caso in casos:
        dia = caso.recibido_en.date()
        concluido = dia if rng.random() < 0.7 else None
        resultado = ""
        if concluido:
            resultado = (
                rng.choice(["convenio_total", "sin_acuerdo", "anticipada", "no_admitida"])
                if caso.tipo == TipoCaso.MEDIACION
                else rng.choice(["primer_contacto", "resuelta", "convertida"])
            )
        hechos.append(
            HechoCaso(
                caso=caso,
                tipo=caso.tipo,
                canal=caso.canal,
                localidad=caso.localidad,
                categoria=caso.categoria,
                recibido=dia,
                abierto=concluido is None,
                concluido=concluido,
                resultado=resultado,
                dias_a_cierre=rng.randint(0, 40) if concluido else None,
            )
        )
    HechoCaso.objects.bulk_create(hechos)


def _cuentas(tabla) -> list[list[int]]:
    return [[c.valor for c in r.celdas[:2]] for r in tabla.renglones]


def test_nada_publicado_cuenta_menos_de_5_ni_se_despeja(catalogos):
    _llenar(400)
    resumen.rehacer_dias(None)
    originales = {t.clave: t for t in transparencia.tablas_publicas(2025, date(2026, 6, 1))}
    suprimidas = 0
    for tabla in originales.values():
        for renglon in [*tabla.renglones, tabla.total]:
            if renglon is None:
                continue
            for celda, columna in zip(renglon.celdas, tabla.columnas[1:], strict=False):
                if celda.suprimida:
                    suprimidas += 1
                    assert celda.valor is None
                elif columna.formato == "n":
                    assert celda.valor is None or celda.valor >= 5, (tabla.clave, renglon.etiqueta)
    assert suprimidas > 0  # el volumen de la prueba tiene celdas chicas de verdad


def test_la_tabla_publicada_es_la_que_protege_la_supresion(catalogos):
    _llenar(400)
    resumen.rehacer_dias(None)
    from estadistica.resumen import desde_resumen

    cifras = desde_resumen(["MED", "ASE"], date(2025, 1, 1), date(2025, 12, 31), ["localidad"])
    valores = sorted({v for (d, v, _t) in cifras.por_dimension if d == "localidad"})
    cuenta = [
        [
            cifras.por_dimension.get(("localidad", v, t), {}).get("recibidas", 0)
            for t in ("MED", "ASE")
        ]
        for v in valores
    ]
    proteccion = supresion.proteger(cuenta)
    assert supresion.recuperables(cuenta, proteccion) == []
    publicada = next(
        t
        for t in transparencia.tablas_publicas(2025, date(2026, 6, 1))
        if t.clave == "recibidas_por_localidad"
    )
    nombres = {str(x.pk): x.nombre for x in Localidad.objects.all()}
    por_clave = {r.clave: r for r in publicada.renglones}
    for i, v in enumerate(valores):
        for j in range(2):
            assert por_clave[v].celdas[j].suprimida == proteccion.interior[i][j], nombres[v]


def test_un_total_oculto_en_una_tabla_no_sale_en_otra():
    """Tablas que cortan los mismos casos (por mes y por canal) con cuentas al azar: un total
    que una oculta lo ocultan todas, cada celda publicada cuenta 5 o más, y ninguna tabla
    tiene celdas despejables de sus sumas."""
    rng = random.Random(11)
    probadas = 0
    for _ in range(150):
        casos = [
            (rng.randint(1, 4), rng.choice("abc"), rng.random() < 0.7)
            for _ in range(rng.randint(3, 40))
        ]

        def filas(indice, valores, casos=casos):
            return [
                (
                    str(v),
                    str(v),
                    sum(1 for c in casos if c[indice] == v and c[2]),
                    sum(1 for c in casos if c[indice] == v and not c[2]),
                )
                for v in valores
            ]

        definiciones = [
            (filas(0, range(1, 5)), "Por mes", "recibidas_por_mes", "Mes", ""),
            (filas(1, "abc"), "Por canal", "recibidas_por_canal", "Canal", ""),
        ]
        mes, canal = transparencia._con_totales_comunes(definiciones)
        for k in range(3):
            assert mes.total.celdas[k].suprimida == canal.total.celdas[k].suprimida
        for (filas_, *_resto), tabla in zip(definiciones, (mes, canal), strict=True):
            cuenta = [[f[2], f[3]] for f in filas_]
            marcas = [[c.suprimida for c in r.celdas] for r in [*tabla.renglones, tabla.total]]
            proteccion = supresion.Proteccion(tuple(tuple(m) for m in marcas))
            assert supresion.recuperables(cuenta, proteccion) == []
            for r in [*tabla.renglones, tabla.total]:
                assert all(c.suprimida or c.valor >= 5 for c in r.celdas)
        probadas += any(c.suprimida for c in mes.total.celdas)
    assert probadas > 0  # hubo totales ocultos de verdad


def test_un_total_oculto_de_antemano_deja_la_tabla_protegida():
    """El total de asesorías (9) se oculta porque otra tabla lo ocultó: solo con él oculto,
    sus celdas lo despejarían (4 + 5); la protección oculta además las necesarias."""
    from estadistica.tablas import Celda, Columna, Renglon, Tabla

    filas = [("a", 10, 4), ("b", 12, 5), ("c", 9, 0)]
    tabla = Tabla(
        "t",
        "t",
        [Columna("k", "k", "t"), Columna("m", "m"), Columna("s", "s"), Columna("t", "t")],
        [Renglon(k, [Celda(m), Celda(s), Celda(m + s)], k) for k, m, s in filas],
        Renglon("Total", [Celda(31), Celda(9), Celda(40)], "total"),
    )
    publicada = supresion.suprimir_tabla(
        tabla, columnas_de_cuenta=[0, 1], columna_total=2, totales_ocultos=[1]
    )
    assert publicada.total.celdas[1].suprimida
    cuenta = [[m, s] for _k, m, s in filas]
    marcas = [[c.suprimida for c in r.celdas] for r in [*publicada.renglones, publicada.total]]
    assert supresion.recuperables(cuenta, supresion.Proteccion(tuple(map(tuple, marcas)))) == []
    # Sin forzarlo, el total de asesorías se publica.
    libre = supresion.suprimir_tabla(tabla, columnas_de_cuenta=[0, 1], columna_total=2)
    assert not libre.total.celdas[1].suprimida
