"""Piezas comunes de más abajo: encolar sin depender del broker, reclamar y cerrar filas de
una bandeja de salida, buscar estáticos, leer con rigor los ids que llegan de fuera. No
importa ninguna app del proyecto."""
