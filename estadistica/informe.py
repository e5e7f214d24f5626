"""El contenido del informe estadístico mensual (documento 10): las cifras del tablero del
periodo, sus gráficas y el avance de las metas del POA, firmado por la Dirección. Lo genera
`plantillas` en la cola de PDF; este módulo solo arma lo que lleva (`plantillas.informes`)."""

from dataclasses import replace

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from casos.models import PerfilPersonal
from casos.texto import nombre_de

from . import metas, selectors, services
from .forms import FiltrosForm

# Las secciones del informe: título y tablas (la carga de trabajo por persona no va: el
# informe circula fuera de la oficina).
SECCIONES = (
    (_("El periodo"), ("resumen", "convenio", "tiempos")),
    (_("Admisión y resultados"), ("admision", "resultados", "anticipadas")),
    (_("Plazos legales"), ("plazos",)),
    (_("Sesiones y asesoría"), ("sesiones", "dependencia", "satisfaccion")),
    (_("Canales, localidades y módulos"), ("canal", "localidad", "modulo")),
    (_("Derechos sobre datos personales"), ("arco",)),
)
# La gráfica que va antes de las tablas de cada sección.
GRAFICA_DE = {"plazos": "plazos", "canal": "canal"}


def _sin_enlaces(tabla):
    """En papel, una cifra no lleva a ninguna parte."""
    quitar = lambda r: r and replace(r, celdas=[replace(c, enlace="") for c in r.celdas])  # noqa: E731
    return replace(tabla, renglones=[quitar(r) for r in tabla.renglones], total=quitar(tabla.total))


def _tabla(tabla) -> str:
    return render_to_string("estadistica/_tabla.html", {"tabla": _sin_enlaces(tabla)})


def _grafica(grafica) -> str:
    return _rejilla([grafica])


def _rejilla(graficas) -> str:
    """Las gráficas de dos en dos, en los renglones de una tabla sin bordes."""
    celdas = [render_to_string("estadistica/_grafica.html", {"grafica": g}) for g in graficas]
    if len(celdas) % 2:
        celdas.append("")
    renglones = [
        "<tr>" + "".join(f"<td>{c}</td>" for c in celdas[i : i + 2]) + "</tr>"
        for i in range(0, len(celdas), 2)
    ]
    return '<table class="rejilla-graficas">' + "".join(renglones) + "</table>"


def _en_el_anio(filtros):
    """El tablero del 1 de enero al fin del periodo, con los mismos filtros (para la
    tendencia mes por mes)."""
    parametros = {
        **filtros.parametros,
        "periodo": "rango",
        "desde": filtros.hasta.replace(month=1, day=1).isoformat(),
        "hasta": filtros.hasta.isoformat(),
    }
    return selectors.armar_tablero(FiltrosForm(parametros).filtros())


def firmante(informe):
    """Quién firma: quien lo pidió, si es de la Dirección; si no, la primera persona activa
    con ese rol."""
    usuarios = get_user_model().objects.filter(groups__name="direccion", is_active=True)
    persona = informe.pedido_por if informe.pedido_por_id else None
    if persona is None or not usuarios.filter(pk=persona.pk).exists():
        persona = usuarios.order_by("pk").first()
    if persona is None:
        return {"nombre": "", "cargo": _("Dirección")}
    perfil = PerfilPersonal.objects.filter(usuario=persona).first()
    return {
        "nombre": nombre_de(persona),
        "cargo": (perfil.cargo if perfil else "") or _("Dirección"),
    }


def contenido_del_informe(informe) -> dict:
    parametros = {
        **(informe.parametros or {}),
        "periodo": "rango",
        "desde": informe.desde.isoformat(),
        "hasta": informe.hasta.isoformat(),
    }
    form = FiltrosForm(parametros)
    filtros = form.filtros()
    t = selectors.armar_tablero(filtros)
    graficas = services.graficas_del_tablero(t)
    secciones = []
    for titulo, claves in SECCIONES:
        html = "".join(
            (_grafica(graficas[GRAFICA_DE[c]]) if c in GRAFICA_DE else "") + _tabla(t.tablas[c])
            for c in claves
        )
        secciones.append({"titulo": titulo, "html": mark_safe(html)})  # noqa: S308
    anio = _en_el_anio(filtros)
    secciones.insert(
        1,
        {
            "titulo": _("El año hasta el %(d)s") % {"d": filtros.hasta.strftime("%d/%m/%Y")},
            "html": mark_safe(  # noqa: S308
                _grafica(services.grafica_mensual(anio)) + _tabla(anio.tablas["mensual"])
            ),
        },
    )
    avance = metas.avance(
        anio=filtros.hasta.year, hoy=min(filtros.hasta, timezone.localdate(informe.creado_en))
    )
    if avance:
        html = _rejilla([services.grafica_de_meta(a) for a in avance])
        secciones.append(
            {
                "titulo": _("Metas del POA %(a)d") % {"a": filtros.hasta.year},
                "html": mark_safe(  # noqa: S308
                    html + _tabla(metas.tabla_de_avance(avance, con_meses=False))
                ),
            }
        )
    from .forms import NOMBRE_DE_MES

    un_mes = (
        informe.desde.day == 1
        and informe.desde.month == informe.hasta.month
        and informe.desde.year == informe.hasta.year
    )
    periodo = (
        f"{NOMBRE_DE_MES[informe.desde.month]} de {informe.desde.year}"
        if un_mes
        else f"{informe.desde:%d/%m/%Y} a {informe.hasta:%d/%m/%Y}"
    )
    return {
        "titulo": _("Informe estadístico mensual"),
        "periodo": periodo,
        "filtros": filtros.descripcion(),
        "datos_al": t.datos_al,
        "secciones": secciones,
        "firma": firmante(informe),
    }
