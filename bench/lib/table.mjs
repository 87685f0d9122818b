// The bench's output: one markdown table of figures with their goals, plus notes under it.

export function formatReport({ title, machine, rows, notes }) {
  const header = ['#', 'figure', 'measured', 'goal', 'met'];
  const body = rows.map((r) => [r.section, r.figure, r.value, r.goal ?? '', r.met === undefined ? '' : r.met ? 'yes' : '**no**']);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    `## ${title}`,
    '',
    machine,
    '',
    line(header),
    line(header.map(() => '---')),
    ...body.map(line),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

export const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
