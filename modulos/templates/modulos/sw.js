{% load static %}// Service worker de la página del módulo itinerante (alcance {% url 'modulos:pagina' %}).
// Guarda la página, sus archivos y los catálogos para capturar sin conexión. La página y los
// catálogos se piden primero a la red (quedan al día cuando hay señal) y, sin red, salen de
// lo guardado; los archivos estáticos salen de lo guardado. Nada de lo capturado pasa por
// aquí: eso vive cifrado en IndexedDB y solo se envía con POST (que no se guarda).
"use strict";
var CACHE = "modulos-{{ version }}";
var PAGINA = "{% url 'modulos:pagina' %}";
var CATALOGOS = "{% url 'modulos:catalogos' %}";
var HOY = "{% url 'modulos:hoy' %}";
var DE_RED = [PAGINA, CATALOGOS, HOY];
var PRECARGA = [
  PAGINA,
  CATALOGOS,
  "{% url 'modulos:manifiesto' %}",
  "{% static 'css/app.css' %}",
  "{% static 'js/captura.js' %}",
  "{% static 'modulos/campo.js' %}",
  "{% static 'modulos/campo.css' %}",
  "{% static 'modulos/icono-192.png' %}",
  "{% static 'modulos/icono-512.png' %}"
];

self.addEventListener("install", function (evento) {
  evento.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PRECARGA.map(function (url) {
      return new Request(url, { credentials: "same-origin", cache: "reload" });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (evento) {
  evento.waitUntil(caches.keys().then(function (nombres) {
    return Promise.all(nombres.filter(function (n) {
      return n.indexOf("modulos-") === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function sinRed() {
  return new Response(
    "<!doctype html><html lang=\"es-MX\"><meta charset=\"utf-8\"><title>Sin conexión</title>" +
    "<p>Sin conexión: esta página no está guardada en el equipo. Ábrala con conexión una vez.</p></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function deLaRed(peticion, ruta) {
  return fetch(peticion).then(function (respuesta) {
    // Solo se guarda lo que respondió la página misma (no el formulario de entrada).
    if (respuesta.ok && !respuesta.redirected && ruta !== HOY) {
      var copia = respuesta.clone();
      caches.open(CACHE).then(function (cache) { cache.put(ruta, copia); });
    }
    return respuesta;
  });
}

self.addEventListener("fetch", function (evento) {
  var peticion = evento.request;
  if (peticion.method !== "GET") return;
  var url = new URL(peticion.url);
  if (url.origin !== self.location.origin) return;
  var ruta = url.pathname;
  if (peticion.headers.get("X-Solo-Red")) return;  // la sincronización quiere la red o nada
  if (peticion.mode === "navigate" || DE_RED.indexOf(ruta) !== -1) {
    evento.respondWith(deLaRed(peticion, ruta).catch(function () {
      return caches.match(ruta).then(function (guardada) {
        if (guardada) return guardada;
        if (ruta === HOY) {
          return new Response(JSON.stringify({ capturas: [] }), { headers: { "Content-Type": "application/json" } });
        }
        return sinRed();
      });
    }));
    return;
  }
  evento.respondWith(caches.match(peticion).then(function (guardada) {
    return guardada || fetch(peticion);
  }));
});
