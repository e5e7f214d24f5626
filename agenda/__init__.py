"""Las agendas de sesiones (oficina, persona mediadora, sala) y su calendario suscribible."""
