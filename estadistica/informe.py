"""El contenido del informe estadístico mensual (documento 10): las cifras del tablero del
periodo, sus gráficas y el avance de las metas del POA, firmado por la Dirección. Lo genera
`plantillas` en la cola de PDF; este módulo solo arma lo que lleva (`plantillas.informes`)."""

from dataclasses import replace

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.models import PerfilPersonal
from casos.texto import nombre_de

from . import metas, selectors, services
from .forms import FiltrosForm

# Las tablas del informe, en orden (las de carga de trabajo por persona no van: el informe
# circula fuera de la oficina).
TABLAS = (
    "resumen",
    "mensual",
    "convenio",
    "tiempos",
    "admision",
    "resultados",
    "anticipadas",
    "plazos",
    "sesiones",
    "dependencia",
    "satisfaccion",
    "canal",
    "localidad",
    "modulo",
)


def _sin_enlaces(tabla):
    """En papel, una cifra no lleva a ninguna parte."""
    quitar = lambda r: r and replace(r, celdas=[replace(c, enlace="") for c in r.celdas])  # noqa: E731
    return replace(tabla, renglones=[quitar(r) for r in tabla.renglones], total=quitar(tabla.total))


def _tabla(tabla) -> str:
    return render_to_string("estadistica/_tabla.html", {"tabla": _sin_enlaces(tabla)})


def _grafica(grafica) -> str:
    return render_to_string("estadistica/_grafica.html", {"grafica": grafica})


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
    secciones = [
        {"titulo": "", "html": _grafica(graficas["tendencia"]) + _tabla(t.tablas["resumen"])}
    ]
    for clave in TABLAS[1:]:
        html = _tabla(t.tablas[clave])
        if clave == "plazos":
            html = _grafica(graficas["plazos"]) + html
        elif clave in ("canal", "localidad"):
            html = _grafica(graficas[clave]) + html
        secciones.append({"titulo": "", "html": html})
    avance = metas.avance(
        anio=filtros.hasta.year, hoy=min(filtros.hasta, timezone.localdate(informe.creado_en))
    )
    if avance:
        html = "".join(_grafica(services.grafica_de_meta(a)) for a in avance)
        secciones.append(
            {
                "titulo": _("Metas del POA %(a)d") % {"a": filtros.hasta.year},
                "html": html + _tabla(metas.tabla_de_avance(avance)),
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
