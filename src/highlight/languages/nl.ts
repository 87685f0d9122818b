import type { LanguageWords } from './types.js';

export const nl: LanguageWords = {
  from: ['van', 'afzender'],
  header: ['verzonden', 'verstuurd', 'datum', 'aan', 'cc', 'onderwerp'],
  historyMarkers: ['doorgestuurd bericht', 'oorspronkelijk bericht', 'origineel bericht', 'begin doorgestuurd bericht'],
  wrote: ['schreef', 'geschreven', 'verzond'],
  wroteOn: ['schreef op'],
  device: ['verzonden (?:met|vanaf|van) (?:mijn )?APP', 'verstuurd (?:met|vanaf) (?:mijn )?APP', 'verzonden vanuit APP'],
  signOffs: ['met vriendelijke groet', 'met vriendelijke groeten', 'groeten', 'groet', 'hartelijke groet', 'bedankt', 'dank je', 'dank u'],
  greetings: ['hoi', 'beste', 'geachte', 'goedemorgen', 'goedemiddag'],
};
