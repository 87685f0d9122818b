import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { IOStreams } from '../../src/terminal/io.ts';

/** A stream that says it is a terminal and has the cursor methods ora calls on one. */
function terminalish(tty: boolean) {
  const done = (cb?: () => void) => {
    cb?.();
    return true;
  };
  return Object.assign(new PassThrough(), {
    isTTY: tty,
    columns: 100,
    cursorTo: (_x: number, cb?: () => void) => done(cb),
    clearLine: (_d: number, cb?: () => void) => done(cb),
    moveCursor: (_dx: number, _dy: number, cb?: () => void) => done(cb),
  });
}

function streams(tty: boolean, stderrTty = tty) {
  const out = terminalish(tty);
  const err = terminalish(stderrTty);
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  return { out, err, text: () => ({ stdout, stderr }) };
}

describe('IOStreams', () => {
  it('colours a terminal, but not with NO_COLOR, --no-color, TERM=dumb or a pipe', () => {
    const coloured = (env: Record<string, string>, tty = true, color?: boolean) => {
      const s = streams(tty);
      const io = new IOStreams({ stdout: s.out, stderr: s.err, env, color });
      io.warn('careful');
      return s.text().stderr.includes('\u001b[');
    };
    expect(coloured({})).toBe(true);
    expect(coloured({ NO_COLOR: '1' })).toBe(false);
    expect(coloured({}, true, false)).toBe(false);
    expect(coloured({ TERM: 'dumb' })).toBe(false);
    expect(coloured({}, false)).toBe(false);
  });

  it('decides colour per stream: stdout redirected to a file gets no escape codes while stderr stays coloured', () => {
    const escapes = '\u001b['; // toMatch with a string matches a substring
    const toFile = streams(false, true);
    const io = new IOStreams({ stdout: toFile.out, stderr: toFile.err, env: {} });
    io.info(`${io.chalk.bold('cursor')} 2026-01-01`);
    io.warn('careful');
    expect(toFile.text().stdout).toBe('cursor 2026-01-01\n');
    expect(toFile.text().stderr).toMatch(escapes);

    const errToFile = streams(true, false);
    const other = new IOStreams({ stdout: errToFile.out, stderr: errToFile.err, env: {} });
    other.info(other.chalk.bold('cursor'));
    other.error('broken');
    expect(errToFile.text().stdout).toMatch(escapes);
    expect(errToFile.text().stderr).toBe('front-import: broken\n');
  });

  it('styles human lines for stderr once stdout carries data', () => {
    const s = streams(true, false);
    const io = new IOStreams({ stdout: s.out, stderr: s.err, env: {}, stdoutIsData: true });
    io.info(io.chalk.bold('summary'));
    expect(s.text()).toEqual({ stdout: '', stderr: 'summary\n' });
  });

  it('spinners only on an interactive terminal, never in CI or with --quiet/--json', async () => {
    const drawn = async (env: Record<string, string>, tty: boolean, extra: { quiet?: boolean; json?: boolean } = {}) => {
      const s = streams(tty);
      const io = new IOStreams({ stdout: s.out, stderr: s.err, env, ...extra });
      const progress = await io.progress('backfill: starting');
      progress.update('backfill: 10 conversations');
      progress.stop();
      return s.text().stderr.includes('backfill:');
    };
    expect(await drawn({}, true)).toBe(true);
    expect(await drawn({ CI: 'true' }, true)).toBe(false);
    expect(await drawn({}, false)).toBe(false);
    expect(await drawn({}, true, { quiet: true })).toBe(false);
    expect(await drawn({}, true, { json: true })).toBe(false);
  });

  it('a terminal that reports no width gets plain progress lines, not a spinner (ora would clear lines without end)', async () => {
    const s = streams(true);
    Object.assign(s.err, { columns: 0 });
    const io = new IOStreams({ stdout: s.out, stderr: s.err, env: {} });
    expect(io.interactive).toBe(false);
    io.progressLine('backfill: reading message events · 1 page');
    expect(s.text().stderr).toBe('backfill: reading message events · 1 page\n');
  });

  it('--quiet keeps errors only; --verbose adds detail; secrets are scrubbed from every line', () => {
    const s = streams(false);
    const quiet = new IOStreams({ stdout: s.out, stderr: s.err, env: {}, quiet: true });
    quiet.info('summary');
    quiet.warn('warning');
    quiet.error('broken');
    expect(s.text()).toEqual({ stdout: '', stderr: 'front-import: broken\n' });

    const v = streams(false);
    const verbose = new IOStreams({ stdout: v.out, stderr: v.err, env: {}, verbose: true });
    verbose.addSecret('tok_supersecret_123');
    verbose.debug('GET /me with tok_supersecret_123');
    verbose.info('done tok_supersecret_123');
    expect(v.text().stderr).toBe('GET /me with [redacted]\n');
    expect(v.text().stdout).toBe('done [redacted]\n');
  });

  it('sends human lines to stderr when stdout carries NDJSON', () => {
    const s = streams(false);
    const io = new IOStreams({ stdout: s.out, stderr: s.err, env: {}, stdoutIsData: true });
    io.info('backfill: 3 delivered');
    io.result({ ok: true });
    expect(s.text().stdout).toBe('');
    expect(s.text().stderr).toContain('backfill: 3 delivered');
    expect(s.text().stderr).toContain('"ok": true');
  });
});
