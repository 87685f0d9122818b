// The redaction table (issue 21): recall on the labelled PII corpus and false positives on its trap
// set (test/fixtures/pii/corpus.json, the figures test/redact/redaction.test.ts holds), and what
// redaction costs per 1,000 Highlights: the same backfill through the real binary against a sandbox
// with planted personal data, redaction off and on (all five kinds plus pseudonyms), CPU time of
// the child process measured, plus the redaction step alone in-process.

import { readFileSync } from 'node:fs';
import { REDACT_KINDS } from '../../dist/redact/kinds.js';
import { redactText } from '../../dist/redact/redactor.js';
import { scoreRedaction } from '../../dist/redact/score.js';
import { startSandbox } from '../../dist/sandbox/index.js';
import { summaryOf, workdir } from './child.mjs';
import { fixed, int, median } from './table.mjs';

const CORPUS = new URL('../../test/fixtures/pii/corpus.json', import.meta.url);
const CONVERSATIONS = 1000;
const RUNS = 3;
const pct = (x) => `${fixed(100 * x, 1)}%`;

export async function redactionRows(section, notes) {
  const corpus = JSON.parse(readFileSync(CORPUS, 'utf8'));
  const score = scoreRedaction(corpus);
  const rows = [
    {
      section,
      figure: `redaction recall on ${int(score.pii)} labelled PII samples (e-mail, phone in ${new Set(corpus.pii.filter((p) => p.kind === 'phone').map((p) => p.note)).size} countries, card, IBAN, IP)`,
      value: pct(score.recall),
      goal: '>= 99%',
      met: score.recall >= 0.99,
    },
    {
      section,
      figure: `redaction false positives on ${int(score.traps)} traps (decimals, dates, times, versions, order/tracking numbers, amounts, timestamps, UUIDs)`,
      value: pct(score.falsePositiveRate),
      goal: '<= 1%',
      met: score.falsePositiveRate <= 0.01,
    },
  ];
  for (const miss of score.misses) notes.push(`redaction missed: ${miss}`);
  for (const fp of score.falsePositives) notes.push(`redaction changed a trap: ${fp}`);

  // The redaction step alone: a support-mail-sized text with one PII line, all kinds on.
  const text = `${corpus.pii.slice(0, 12).map((p) => p.text).join(' ')} ${corpus.traps.slice(0, 20).map((t) => t.text).join('. ')}`;
  const n = 1000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) redactText(`${text} ${i}`, REDACT_KINDS);
  const stepMs = Number(process.hrtime.bigint() - started) / 1e6;
  rows.push({ section, figure: `redaction step alone, all kinds, per 1,000 texts of ${int(text.length)} characters (in-process)`, value: `${fixed(stepMs, 0)} ms`, goal: '-', met: undefined });

  const sandbox = await startSandbox({ seed: 21, conversations: CONVERSATIONS, days: 7, rateLimit: false, pii: true });
  try {
    const cost = {};
    for (const mode of ['off', 'on']) {
      const cpu = [];
      let highlights = 0;
      for (let r = 0; r < RUNS; r++) {
        const extra = mode === 'on' ? ['highlights:', '  redact: [email, phone, card, iban, ip]', '  pseudonymize: true'] : [];
        const work = workdir({
          front: { url: sandbox.url },
          env: { FRONT_API_TOKEN: sandbox.tokens.full, FRONT_IMPORT_NO_PACING: '1', FRONT_IMPORT_PII_KEY: 'bench-pii-key-0123456789abcdef' },
          extra,
        });
        try {
          const result = await work.run(['backfill', '--since', '7d', '--json'], { measure: true });
          const summary = summaryOf(result, `backfill (redaction ${mode})`);
          highlights = summary.counts.created + summary.counts.updated;
          cpu.push(result.usage.cpuMs);
        } finally {
          work.remove();
        }
      }
      cost[mode] = (median(cpu) / Math.max(1, highlights)) * 1000;
    }
    rows.push({ section, figure: `CPU per 1,000 Highlights, backfill of ${int(CONVERSATIONS)} conversations with planted PII, redaction off (median of ${RUNS})`, value: `${int(cost.off)} ms`, goal: '-', met: undefined });
    rows.push({
      section,
      figure: `… redaction on (email, phone, card, iban, ip + pseudonymize)`,
      value: `${int(cost.on)} ms (+${fixed((100 * (cost.on - cost.off)) / cost.off, 0)}%)`,
      goal: 'about the same Front requests; CPU cost shown',
      met: undefined,
    });
  } finally {
    await sandbox.close();
  }
  notes.push('redaction: the corpus is labelled by hand from published formats (test card numbers, example IBANs, numbering-plan examples); real mail has more forms: numbers without a country code are not redacted by design (README "Redaction").');
  return rows;
}
