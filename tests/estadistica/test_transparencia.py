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
