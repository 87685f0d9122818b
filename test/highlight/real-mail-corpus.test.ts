// The real-mail corpus (issue 24): messages no generator of ours wrote, from public parsers' test
// suites and archives. Held here: the corpus's integrity (size, languages, origin, labels that are
// the message's own text, no duplicates) and that extraction never loses an own word; the exact
// share is printed (its >= 95% goal is held by the extraction rules' own test and the bench).

import { fileURLToPath, pathToFileURL } from 'node:url';
import { convert } from 'html-to-text';
import { describe, expect, it } from 'vitest';
import { messageToText } from '../../src/highlight/message-text.ts';
import {
  describeMiss,
  loadRealMailCorpus,
  normaliseSpace,
  parseRealMailFile,
  realMailDir,
  realMailRows,
  scoreMessage,
  scoreRealMail,
  type RealMail,
} from '../../src/highlight/real-mail-corpus.ts';

const corpus = loadRealMailCorpus();
const results = scoreRealMail(corpus, (message) => messageToText(message));

/** The text a reader sees in the message: HTML rendered without link targets. */
function visibleText(mail: RealMail): string {
  const text = mail.format === 'html' ? convert(mail.message, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] }) : mail.message;
  return normaliseSpace(text);
}

describe('the real-mail corpus', () => {
  it('holds at least 300 messages in at least 12 languages, both formats and every kind', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((m) => m.language)).size).toBeGreaterThanOrEqual(12);
    for (const format of ['text', 'html']) expect(corpus.filter((m) => m.format === format).length, format).toBeGreaterThanOrEqual(40);
    for (const kind of ['top-post', 'bottom-post', 'inline-reply', 'forward', 'signature', 'chat', 'trap', 'mailing-list-footer']) {
      expect(corpus.some((m) => m.kind === kind), kind).toBe(true);
    }
  });

  it('names the source, commit and licence of every message', () => {
    for (const mail of corpus) {
      expect(mail.source, mail.id).toMatch(/\S/);
      expect(mail.commit, mail.id).toMatch(/^(?:[0-9a-f]{40}|\d{4}-\d{2}-\d{2})$/);
      expect(mail.path, mail.id).toMatch(/\S/);
      expect(mail.licence, mail.id).not.toMatch(/GPL/);
    }
  });

  it('labels each message with its own text: every label line is in the message as the reader sees it', () => {
    const outside: string[] = [];
    for (const mail of corpus) {
      const seen = visibleText(mail);
      for (const line of mail.label.split('\n').map(normaliseSpace).filter(Boolean)) {
        if (!seen.includes(line)) outside.push(`${mail.id}: "${line}"`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('gives an empty label (the message is kept whole) only to plain-text forwards without a note', () => {
    for (const mail of corpus.filter((m) => !m.label.trim())) expect([mail.kind, mail.format], mail.id).toEqual(['forward', 'text']);
  });

  it('has no duplicate ids or messages', () => {
    const ids = corpus.map((m) => m.id);
    expect(ids.length - new Set(ids).size).toBe(0);
    const seen = new Map<string, string>();
    const twins: string[] = [];
    for (const mail of corpus) {
      // Line layout is part of a message (an attribution wrapped elsewhere is another case): only
      // trailing spaces and line endings are ignored.
      const key = mail.message.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();
      if (seen.has(key)) twins.push(`${seen.get(key)} = ${mail.id}`);
      else seen.set(key, mail.id);
    }
    expect(twins).toEqual([]);
  });

  it('rejects a source file without a licence or with a label-less message, naming the field', () => {
    const file = (licence: string, message: string) =>
      `source: a/b\nurl: https://github.com/a/b\ncommit: ${'a'.repeat(40)}\nlicence: ${licence}\nmessages:\n  - ${message}\n`;
    const entry = 'id: x-1\n    path: p\n    format: text\n    language: en\n    client: gmail\n    kind: top-post\n    message: Hi\n';
    expect(() => parseRealMailFile(file('GPL-3.0', `${entry}    label: Hi`), 'bad.yaml')).toThrow(/bad\.yaml: licence/);
    expect(() => parseRealMailFile(file('MIT', entry), 'bad.yaml')).toThrow(/bad\.yaml: messages\.0\.label/);
    expect(parseRealMailFile(file('MIT', `${entry}    label: Hi`), 'ok.yaml')[0]).toMatchObject({ id: 'x-1', source: 'a/b', licence: 'MIT' });
  });
});

describe('scoring against the real-mail corpus', () => {
  const mail = corpus.find((m) => m.label.trim() && m.label.trim() !== m.message.trim())!;

  it('counts a text equal to the label as exact, a missing word as lost, a quote left in as kept', () => {
    expect(scoreMessage(mail, `  ${mail.label.replace(/\n/g, '\n\n')} `)).toMatchObject({ exact: true, lostWords: [], extraWords: [] });
    expect(scoreMessage(mail, '').lostWords.length).toBeGreaterThan(0);
    const raw = scoreMessage(mail, mail.message);
    expect(raw.exact).toBe(false);
    expect(raw.extraWords.length).toBeGreaterThan(0);
  });

  it('aggregates overall and per source, language, client, format and kind, each row adding up', () => {
    const rows = realMailRows(results);
    const all = rows.find((r) => r.group === 'all')!;
    expect(all.messages).toBe(corpus.length);
    for (const dimension of ['source', 'language', 'client', 'format', 'kind']) {
      const group = rows.filter((r) => r.group.startsWith(`${dimension} `));
      expect(group.reduce((n, r) => n + r.messages, 0), dimension).toBe(all.messages);
      expect(group.reduce((n, r) => n + r.exact, 0), dimension).toBe(all.exact);
      expect(group.reduce((n, r) => n + r.lost, 0), dimension).toBe(all.lost);
    }
    expect(rows.find((r) => r.group === 'format html')!.messages).toBe(corpus.filter((m) => m.format === 'html').length);
  });

  it("finds the data in the package's src/, from src/ and compiled into dist/ (the bench's)", async () => {
    const inSrc = fileURLToPath(new URL('../../src/highlight/real-mail', import.meta.url));
    expect(realMailDir()).toBe(inSrc);
    const compiled = await import(pathToFileURL(fileURLToPath(new URL('../../dist/highlight/real-mail-corpus.js', import.meta.url))).href);
    expect(compiled.realMailDir()).toBe(inSrc);
  });

  it('prints the exact share and every miss', () => {
    const all = realMailRows(results).find((r) => r.group === 'all')!;
    console.log(
      `real mail: ${all.exact}/${all.messages} exact (${((100 * all.exact) / all.messages).toFixed(1)}%), ${all.lost} losing own words, ${all.keptExtra} still quoting or signed`,
    );
    for (const miss of results.filter((r) => !r.exact)) console.log(`  miss ${describeMiss(miss)}`);
    expect(all.messages).toBe(corpus.length);
  });

  // Held once the extraction rules stop losing words on the corpus (issue 24's other half owns the
  // rules); until then it is skipped, and the messages that lose words are printed above.
  it('never loses an own word', () => {
    expect(results.filter((r) => r.lostWords.length > 0).map(describeMiss)).toEqual([]);
  });
});
