"""Supresión de cifras pequeñas para la página de transparencia y los datos abiertos.

La regla: ninguna cifra publicada cuenta menos de ``umbral`` casos (5; el 0 también es «menos
de 5»). Esas cifras se suprimen y se muestran como «< 5» (supresión primaria). Después, la
supresión complementaria cuida que ninguna cifra suprimida se pueda despejar con los totales
y las cifras vecinas que sí se publican.

El modelo es la tabla de contingencia con sus márgenes, vista como una rejilla de
``(R + 1) × (C + 1)``: las celdas interiores ``cuenta[i][j]``, el total de cada renglón en la
columna ``C``, el total de cada columna en el renglón ``R`` y el gran total en ``(R, C)``. Cada
renglón y cada columna de la rejilla es una «línea»: la suma de sus partes es su total.

Reglas de cada línea con alguna celda suprimida (se repiten hasta que nada cambia):

a) hay al menos dos celdas suprimidas, y
b) la suma de las suprimidas es al menos ``umbral`` (dos suprimidas que suman 0 o 1 dirían su
   valor o lo acotarían más que «< 5»), salvo que la línea entera ya esté suprimida.

El complemento que se elige es la celda interior más pequeña de la línea que aún se publica;
los empates se rompen por posición (renglón, luego columna) y un total solo se suprime si no
queda celda interior en la línea. Al final, una auditoría exacta (eliminación gaussiana con
``fractions.Fraction``) busca celdas suprimidas que el sistema de sumas determine sin
ambigüedad; si encuentra una, se suprime la celda más pequeña que la rompe y se vuelve a
empezar. Suprimirlo todo siempre deja la auditoría vacía, así que el proceso termina.

Límites: la auditoría es lineal. No revisa la revelación por intervalos que dan las cotas
(las cifras no son negativas): con las reglas a) y b) el margen mínimo de una suprimida es el
que dice «< 5», pero no se calcula el intervalo exacto de cada celda (eso pide programación
lineal). Tampoco se cruzan tablas distintas: si dos tablas publican los mismos casos con otro
corte, cada una se protege por su cuenta.
"""

from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from fractions import Fraction

from .tablas import Celda, Renglon, Tabla

UMBRAL = 5


# --- El motor: celdas con valor y líneas «partes = total» ---------------------------------


@dataclass(frozen=True)
class _Linea:
    partes: tuple[int, ...]
    total: int

    @property
    def celdas(self) -> tuple[int, ...]:
        return (*self.partes, self.total)


def _preferencia(indice: int, linea: _Linea, valores, es_margen) -> tuple:
    """Orden de los complementos: primero celdas interiores, luego otros márgenes y al final el
    total de la propia línea; entre iguales, la más pequeña y después la primera."""
    return (indice == linea.total, es_margen[indice], valores[indice], indice)


def _cumple_linea(linea: _Linea, valores, suprimida, umbral: int) -> bool:
    ocultas = [k for k in linea.celdas if suprimida[k]]
    if not ocultas or len(ocultas) == len(linea.celdas):
        return True
    return len(ocultas) >= 2 and sum(valores[k] for k in ocultas) >= umbral


def _reglas_de_linea(valores, es_margen, lineas, suprimida, umbral: int) -> None:
    """Aplica a) y b) a todas las líneas hasta que ninguna pide otro complemento."""
    cambio = True
    while cambio:
        cambio = False
        for linea in lineas:
            while not _cumple_linea(linea, valores, suprimida, umbral):
                libres = [k for k in linea.celdas if not suprimida[k]]
                elegida = min(
                    libres, key=lambda k, ln=linea: _preferencia(k, ln, valores, es_margen)
                )
                suprimida[elegida] = True
                cambio = True


def _rref(filas: list[list[Fraction]], columnas: int) -> list[list[Fraction]]:
    """Forma escalonada reducida (Gauss-Jordan exacto); devuelve solo los renglones no nulos."""
    filas = [f[:] for f in filas]
    pivote_fila = 0
    for col in range(columnas):
        pivote = next((r for r in range(pivote_fila, len(filas)) if filas[r][col] != 0), None)
        if pivote is None:
            continue
        filas[pivote_fila], filas[pivote] = filas[pivote], filas[pivote_fila]
        base = filas[pivote_fila]
        factor = base[col]
        if factor != 1:
            base[:] = [v / factor for v in base]
        for r, fila in enumerate(filas):
            if r != pivote_fila and fila[col] != 0:
                f = fila[col]
                fila[:] = [a - f * b for a, b in zip(fila, base, strict=True)]
        pivote_fila += 1
        if pivote_fila == len(filas):
            break
    return filas[:pivote_fila]


def _determinadas(lineas: Sequence[_Linea], suprimida: Sequence[bool]) -> list[int]:
    """Celdas suprimidas que las ecuaciones de las líneas despejan de forma única.

    Las incógnitas son las celdas suprimidas; las publicadas pasan al lado derecho. Una
    incógnita ``x`` queda determinada si y solo si su vector unitario está en el espacio de
    renglones de la matriz de coeficientes; en la forma escalonada reducida eso ocurre
    exactamente cuando algún renglón es ese vector unitario."""
    incognitas = [k for k, s in enumerate(suprimida) if s]
    if not incognitas:
        return []
    posicion = {k: p for p, k in enumerate(incognitas)}
    filas = []
    for linea in lineas:
        fila = [Fraction(0)] * len(incognitas)
        for k in linea.partes:
            if k in posicion:
                fila[posicion[k]] += 1
        if linea.total in posicion:
            fila[posicion[linea.total]] -= 1
        if any(fila):
            filas.append(fila)
    determinadas = []
    for fila in _rref(filas, len(incognitas)):
        no_nulas = [p for p, v in enumerate(fila) if v != 0]
        if len(no_nulas) == 1:
            determinadas.append(incognitas[no_nulas[0]])
    return sorted(determinadas)


def _romper(objetivo: int, valores, es_margen, lineas, suprimida) -> int:
    """La celda publicada que conviene suprimir para que ``objetivo`` deje de despejarse: la
    primera, en el orden de preferencia, que lo logra sola; si ninguna basta, la más pequeña
    de las líneas del objetivo (la siguiente vuelta sigue desde ahí)."""
    libres = [k for k, s in enumerate(suprimida) if not s]
    orden = sorted(libres, key=lambda k: (es_margen[k], valores[k], k))
    for k in orden:
        prueba = list(suprimida)
        prueba[k] = True
        if objetivo not in _determinadas(lineas, prueba):
            return k
    vecinas = [k for ln in lineas if objetivo in ln.celdas for k in ln.celdas if not suprimida[k]]
    return min(vecinas or orden, key=lambda k: (es_margen[k], valores[k], k))


def _proteger(valores, es_margen, lineas, umbral: int, forzadas=()) -> list[bool]:
    suprimida = [v < umbral for v in valores]
    for k in forzadas:
        suprimida[k] = True
    while True:
        _reglas_de_linea(valores, es_margen, lineas, suprimida, umbral)
        determinadas = _determinadas(lineas, suprimida)
        if not determinadas:
            return suprimida
        suprimida[_romper(determinadas[0], valores, es_margen, lineas, suprimida)] = True


# --- La tabla de contingencia (2-D) --------------------------------------------------------


@dataclass(frozen=True)
class Proteccion:
    """Qué celdas de la rejilla ``(R + 1) × (C + 1)`` se suprimen. ``rejilla[i][j]`` con
    ``i == R`` es el renglón de los totales de columna y ``j == C`` la columna de los totales
    de renglón; ``rejilla[R][C]`` es el gran total."""

    rejilla: tuple[tuple[bool, ...], ...]
    umbral: int = UMBRAL

    @property
    def interior(self) -> list[list[bool]]:
        return [list(fila[:-1]) for fila in self.rejilla[:-1]]

    @property
    def total_renglon(self) -> list[bool]:
        return [fila[-1] for fila in self.rejilla[:-1]]

    @property
    def total_columna(self) -> list[bool]:
        return list(self.rejilla[-1][:-1])

    @property
    def gran_total(self) -> bool:
        return self.rejilla[-1][-1]

    def suprimidas(self) -> list[tuple[int, int]]:
        """Las posiciones ``(i, j)`` suprimidas de la rejilla, en orden."""
        return [(i, j) for i, fila in enumerate(self.rejilla) for j, s in enumerate(fila) if s]


def rejilla(cuenta: Sequence[Sequence[int]]) -> list[list[int]]:
    """La tabla con sus márgenes: ``(R + 1) × (C + 1)``, totales al final de cada renglón y
    renglón de totales al final."""
    _validar(cuenta)
    filas = [[*fila, sum(fila)] for fila in cuenta]
    totales = [sum(col) for col in zip(*filas, strict=True)]
    return [[int(v) for v in f] for f in [*filas, totales]]


def _validar(cuenta: Sequence[Sequence[int]]) -> None:
    if not cuenta or not cuenta[0]:
        raise ValueError("La tabla necesita al menos un renglón y una columna.")
    ancho = len(cuenta[0])
    for fila in cuenta:
        if len(fila) != ancho:
            raise ValueError("Todos los renglones deben tener el mismo número de columnas.")
        for v in fila:
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError(f"Las cuentas son enteros no negativos, no {v!r}.")


def _sistema(cuenta: Sequence[Sequence[int]]):
    completa = rejilla(cuenta)
    renglones, columnas = len(completa), len(completa[0])

    def k(i: int, j: int) -> int:
        return i * columnas + j

    valores = [v for fila in completa for v in fila]
    es_margen = [
        i == renglones - 1 or j == columnas - 1 for i in range(renglones) for j in range(columnas)
    ]
    lineas = [
        _Linea(tuple(k(i, j) for j in range(columnas - 1)), k(i, columnas - 1))
        for i in range(renglones)
    ]
    lineas += [
        _Linea(tuple(k(i, j) for i in range(renglones - 1)), k(renglones - 1, j))
        for j in range(columnas)
    ]
    return valores, es_margen, lineas, columnas


def proteger(
    cuenta: Sequence[Sequence[int]],
    umbral: int = UMBRAL,
    forzadas: Iterable[tuple[int, int]] = (),
) -> Proteccion:
    """Las celdas que se suprimen en la tabla ``cuenta`` (renglones × columnas, enteros no
    negativos) y en sus márgenes, que la función calcula. Determinista: la misma tabla da
    siempre la misma protección, y ``recuperables(cuenta, proteccion)`` queda vacío.
    ``forzadas``: posiciones ``(i, j)`` de la rejilla que se ocultan de antemano (un total que
    otra tabla de los mismos casos tuvo que ocultar); se protegen como las demás."""
    valores, es_margen, lineas, columnas = _sistema(cuenta)
    posiciones = [i * columnas + j for i, j in forzadas]
    suprimida = _proteger(valores, es_margen, lineas, umbral, posiciones)
    filas = [tuple(suprimida[p : p + columnas]) for p in range(0, len(suprimida), columnas)]
    return Proteccion(tuple(filas), umbral)


def recuperables(cuenta: Sequence[Sequence[int]], proteccion: Proteccion) -> list[tuple[int, int]]:
    """Auditoría exacta: las posiciones suprimidas ``(i, j)`` de la rejilla que se despejan sin
    ambigüedad de las cifras publicadas y de todas las sumas (renglones, columnas, gran total)."""
    _valores, _margen, lineas, columnas = _sistema(cuenta)
    suprimida = [s for fila in proteccion.rejilla for s in fila]
    if len(suprimida) != len(_valores):
        raise ValueError("La protección no corresponde al tamaño de la tabla.")
    return [divmod(k, columnas) for k in _determinadas(lineas, suprimida)]


# --- La lista (1-D): cifras y su total ------------------------------------------------------


@dataclass(frozen=True)
class ProteccionLista:
    """Qué cifras de una lista se suprimen y si se suprime su total."""

    celdas: tuple[bool, ...]
    total: bool
    umbral: int = UMBRAL


def _sistema_lista(cuentas: Sequence[int]):
    _validar([list(cuentas)])
    valores = [*cuentas, sum(cuentas)]
    n = len(cuentas)
    return valores, [False] * n + [True], [_Linea(tuple(range(n)), n)]


def proteger_lista(cuentas: Sequence[int], umbral: int = UMBRAL) -> ProteccionLista:
    """La versión de una sola línea: las cifras y su total. ``[3, 20, 30]`` suprime el 3 y, de
    complemento, el 20 (la cifra más pequeña que se publicaría)."""
    valores, es_margen, lineas = _sistema_lista(cuentas)
    suprimida = _proteger(valores, es_margen, lineas, umbral)
    return ProteccionLista(tuple(suprimida[:-1]), suprimida[-1], umbral)


def recuperables_lista(cuentas: Sequence[int], proteccion: ProteccionLista) -> list[int]:
    """Las posiciones suprimidas que se despejan (``len(cuentas)`` es el total)."""
    _valores, _margen, lineas = _sistema_lista(cuentas)
    return _determinadas(lineas, [*proteccion.celdas, proteccion.total])


# --- Sobre las tablas que se publican -------------------------------------------------------

DERIVADAS = ("%", "d")


def _ocultar(celda: Celda) -> None:
    celda.valor = None
    celda.enlace = ""
    celda.suprimida = True


def _entero(celda: Celda, donde: str) -> int:
    v = celda.valor
    if celda.suprimida or isinstance(v, bool) or not isinstance(v, int):
        raise ValueError(f"{donde}: la supresión necesita la cuenta real, no {v!r}.")
    return v


def _cuentas_de(tabla: Tabla, columnas: list[int], columna_total: int | None) -> list[list[int]]:
    ancho = len(tabla.columnas) - 1
    for r in [*tabla.renglones, *([tabla.total] if tabla.total else [])]:
        if len(r.celdas) != ancho:
            raise ValueError(f"«{r.etiqueta}»: {len(r.celdas)} celdas para {ancho} columnas.")
    cuenta = [[_entero(r.celdas[k], r.etiqueta) for k in columnas] for r in tabla.renglones]
    sumas = rejilla(cuenta)
    filas = list(tabla.renglones)
    if tabla.total is not None:
        filas.append(tabla.total)
        esperado = sumas[-1][:-1]
        if [_entero(tabla.total.celdas[k], "total") for k in columnas] != esperado:
            raise ValueError("El renglón de total no es la suma de los renglones.")
    for r, fila in zip(filas, sumas, strict=False):
        if columna_total is not None and _entero(r.celdas[columna_total], r.etiqueta) != fila[-1]:
            raise ValueError(f"«{r.etiqueta}»: la columna de total no es la suma del renglón.")
    return cuenta


def suprimir_tabla(
    tabla: Tabla,
    columnas_de_cuenta: list[int] | None = None,
    umbral: int = UMBRAL,
    columna_total: int | None = None,
    totales_ocultos: Iterable[int] = (),
) -> Tabla:
    """Una copia de ``tabla`` lista para publicarse: cada celda suprimida queda con
    ``suprimida=True``, ``valor=None`` y sin enlace, también en el renglón ``total``. La tabla
    original no cambia.

    Los índices son de ``Renglon.celdas`` (``celdas[k]`` es la columna ``columnas[k + 1]``).
    ``columnas_de_cuenta`` son las columnas que forman la tabla de contingencia (por omisión,
    todas las de formato «n» salvo ``columna_total``); ``columna_total``, si la tabla la
    tiene, es la suma del renglón. Los márgenes se protegen siempre como si se publicaran,
    aunque la tabla no los muestre (lo seguro: pueden salir en otra tabla). Si la tabla trae
    total o columna de total, deben ser la suma exacta (si no, el modelo de sumas no vale y
    se levanta ``ValueError``). Las columnas «n» fuera de ``columnas_de_cuenta`` no se tocan.
    ``totales_ocultos``: columnas (índices de ``celdas``) cuyo total se oculta de antemano
    porque otra tabla de los mismos casos lo ocultó; la protección cuenta con ello.

    Las columnas derivadas (formato «%» y «d»: «% con convenio», mediana de días) de un
    renglón se suprimen si alguna cuenta de ese renglón (o su total) quedó suprimida o si la
    base del renglón (su total) es menor que ``umbral``: un porcentaje con su base publicada
    despejaría la cuenta oculta, y una mediana de menos de 5 casos habla de personas."""
    datos = tabla.columnas[1:]
    if columnas_de_cuenta is None:
        columnas_de_cuenta = [
            k for k, c in enumerate(datos) if c.formato == "n" and k != columna_total
        ]
    columnas = list(columnas_de_cuenta)
    publicada = deepcopy(tabla)
    derivadas = [k for k, c in enumerate(datos) if c.formato in DERIVADAS]
    if not columnas:
        return publicada
    if not tabla.renglones:
        # Sin renglones el total cuenta cero casos: se suprime entero.
        if publicada.total is not None:
            for k in [
                *columnas,
                *derivadas,
                *([columna_total] if columna_total is not None else []),
            ]:
                _ocultar(publicada.total.celdas[k])
        return publicada
    cuenta = _cuentas_de(tabla, columnas, columna_total)
    rejilla_cols = [*columnas, columna_total]
    forzadas = [(len(cuenta), rejilla_cols.index(k)) for k in totales_ocultos if k in rejilla_cols]
    proteccion = proteger(cuenta, umbral, forzadas)
    sumas = rejilla(cuenta)
    filas = [(r, i) for i, r in enumerate(publicada.renglones)]
    if publicada.total is not None:
        filas.append((publicada.total, len(cuenta)))
    for renglon, i in filas:
        marcas = proteccion.rejilla[i]
        for k, oculta in zip([*columnas, columna_total], marcas, strict=True):
            if oculta and k is not None:
                _ocultar(renglon.celdas[k])
        if any(marcas) or sumas[i][-1] < umbral:
            for k in derivadas:
                _ocultar(renglon.celdas[k])
    return publicada


def _suma_de(renglon: Renglon, columnas: Iterable[int]) -> int:
    return sum(int(renglon.celdas[k].valor or 0) for k in columnas)


def agrupar_sensibles(
    renglones: Sequence[Renglon],
    claves_sensibles: Iterable[str],
    etiqueta: str = "Otras materias",
    clave: str = "otras",
    columnas_de_cuenta: Iterable[int] | None = None,
) -> list[Renglon]:
    """Los renglones con las categorías sensibles (violencia o materia penal: las que se
    canalizan) no se publican solos: se juntan en un renglón ``etiqueta`` con el renglón no
    sensible más pequeño (menor suma de cuentas con algún caso; empate, el primero), para que
    el renglón agrupado nunca sea una categoría sensible sola. Si no hay renglón no sensible
    con casos, los sensibles se quitan y solo cuentan en el total (que no cambia).

    Se suman las ``columnas_de_cuenta`` (índices de ``celdas``; por omisión, las celdas cuyos
    valores son enteros en todos los renglones del grupo); las demás celdas del renglón
    agrupado (porcentajes, medianas) quedan vacías, porque no se suman. El renglón agrupado va
    al final; los demás conservan su orden. Se aplica antes de ``suprimir_tabla``."""
    sensibles = set(claves_sensibles)
    propios = [r for r in renglones if r.clave not in sensibles]
    ocultos = [r for r in renglones if r.clave in sensibles]
    if not ocultos:
        return deepcopy(list(renglones))
    ancho = len(renglones[0].celdas)
    if columnas_de_cuenta is None:
        columnas = [
            k
            for k in range(ancho)
            if all(
                isinstance(r.celdas[k].valor, int) and not isinstance(r.celdas[k].valor, bool)
                for r in renglones
            )
        ]
    else:
        columnas = list(columnas_de_cuenta)
    con_casos = [(_suma_de(r, columnas), n, r) for n, r in enumerate(propios)]
    con_casos = [t for t in con_casos if t[0] > 0]
    if not con_casos:
        return deepcopy(propios)
    _, _, companero = min(con_casos, key=lambda t: (t[0], t[1]))
    grupo = [companero, *ocultos]
    celdas = [Celda(None) for _ in range(ancho)]
    for k in columnas:
        celdas[k] = Celda(sum(int(r.celdas[k].valor or 0) for r in grupo))
    restantes = [deepcopy(r) for r in propios if r is not companero]
    return [*restantes, Renglon(etiqueta, celdas, clave)]
