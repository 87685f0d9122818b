import type { LanguageWords } from './types.js';

export const es: LanguageWords = {
  from: ['de', 'remitente'],
  header: ['enviado', 'enviado el', 'fecha', 'para', 'cc', 'asunto', 'responder a'],
  historyMarkers: ['mensaje reenviado', 'mensaje original', 'inicio del mensaje reenviado'],
  wrote: ['escribió'],
  device: ['enviado desde (?:mi )?APP', 'obtener outlook para APP'],
  signOffs: ['saludos', 'un saludo', 'atentamente', 'gracias', 'muchas gracias', 'saludos cordiales', 'un abrazo'],
  greetings: ['hola', 'buenos días', 'buenas tardes', 'buenas', 'estimado', 'estimada', 'estimados'],
};
