import type { LanguageWords } from './types.js';

export const pt: LanguageWords = {
  from: ['de', 'remetente'],
  header: ['enviado', 'enviada', 'enviada em', 'enviado em', 'data', 'para', 'cc', 'assunto'],
  historyMarkers: ['mensagem encaminhada', 'mensagem original', 'início da mensagem reencaminhada', 'início da mensagem encaminhada', 'mensagem reencaminhada'],
  wrote: ['escreveu'],
  device: ['enviado (?:do|de|a partir do) (?:meu |o meu )?APP', 'obter o outlook para APP', 'baixe o outlook para APP'],
  signOffs: ['atenciosamente', 'obrigado', 'obrigada', 'abraços', 'abraço', 'cumprimentos', 'att', 'grato', 'grata'],
  greetings: ['olá', 'ola', 'oi', 'bom dia', 'boa tarde', 'prezado', 'prezada', 'prezados'],
};
