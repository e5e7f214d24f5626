"""Flujos viewflow de mediación y asesoría, sus tareas, bandejas y plazos."""
