"""Vistas de `flujos`: `pasos` (una por tarea humana; lo único que importa `flows.py`),
`bandejas` (bandeja, cola, plazos; abrir, tomar, soltar y reasignar tareas), `acciones`
(diferir, prorrogar, concluir y reabrir desde el caso) y `recalculo` (aplicar las cifras de
plazos de hoy a casos abiertos)."""
