"""Las tablas de cifras: lo que muestran el tablero, la página de transparencia, el informe
mensual y las exportaciones (CSV, XLSX, JSON). Una tabla es un dato, no HTML: cada salida la
pinta a su modo y todas dicen las mismas cifras."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Columna:
    clave: str
    titulo: str
    # «n» entero, «%» porcentaje (0 a 100, un decimal), «d» días (un decimal), «t» texto.
    formato: str = "n"

    def __post_init__(self):
        # Los textos traducibles se resuelven una vez, no en cada celda que los pinta.
        object.__setattr__(self, "titulo", str(self.titulo))


@dataclass
class Celda:
    valor: int | float | str | None
    # La lista de casos detrás de la cifra (vacío si no hay lista: porcentajes, metas).
    enlace: str = ""
    # Transparencia: la cifra no se publica; se muestra «< 5».
    suprimida: bool = False


@dataclass
class Renglon:
    etiqueta: str
    celdas: list[Celda]
    # Clave estable del renglón para los datos abiertos (p. ej. el código del canal).
    clave: str = ""

    def __post_init__(self):
        self.etiqueta = str(self.etiqueta)


@dataclass
class Tabla:
    clave: str
    titulo: str
    # La primera columna es la de las etiquetas de los renglones.
    columnas: list[Columna]
    renglones: list[Renglon] = field(default_factory=list)
    total: Renglon | None = None
    # La definición de lo que se cuenta, citada bajo la tabla.
    nota: str = ""

    def __post_init__(self):
        self.titulo, self.nota = str(self.titulo), str(self.nota)
