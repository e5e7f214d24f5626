"""Casos de mediación en bloque para los benchmarks que necesitan una base grande (agenda y
horarios libres): un `Caso` sin guardar, listo para `bulk_create`."""


def caso_de_mediacion(i: int, *, anio, categoria, localidad, aviso, ahora, recibido_en, **extra):
    """El caso número `i + 1` del año, recibido por teléfono y con su sesión por delante
    (`extra`: admitido_en, responsable…)."""
    from casos import codigos
    from casos.models import Canal, Caso, Estado, TipoCaso

    return Caso(
        tipo=TipoCaso.MEDIACION,
        folio=codigos.formatear_folio(TipoCaso.MEDIACION, anio, i + 1),
        anio=anio,
        numero=i + 1,
        estado=Estado.SESION,
        canal=Canal.TELEFONO,
        categoria=categoria,
        localidad=localidad,
        resumen="Relato privado del caso.",
        recibido_en=recibido_en,
        codigo_sal=codigos.nueva_sal(),
        aviso_version=aviso.version,
        aviso_canal=Canal.TELEFONO,
        aviso_aceptado_en=ahora,
        **extra,
    )
