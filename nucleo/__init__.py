"""Piezas comunes de más abajo: encolar sin depender del broker, reclamar y cerrar filas de
una bandeja de salida, buscar estáticos, leer con rigor lo que llega de fuera (ids y cuerpos
JSON) y ocultar secretos en los reportes de error. No importa ninguna app del proyecto."""
