// The layering of src/, checked on every `npm test` (npm run lint:deps). ARCHITECTURE.md explains
// each folder; this file is the part of it a machine can hold the code to.
//
// Folders are listed top to bottom. A folder imports only folders listed below it, never one above
// or beside it: the strict form of "no two folders import each other", which also rules out longer
// folder cycles. Data flows down the layers; values come back up as return values. A new folder
// goes into this list where it belongs (the `folder-is-layered` rule says so until it does).

/** src/ folders, top to bottom; folders on one line do not import each other. */
const LAYERS = [
  ['cli'],
  ['commands'],
  ['runs', 'listen'],
  ['context'],
  ['pipeline', 'monitoring', 'sandbox', 'scope'],
  ['destinations', 'oauth'],
  ['config'],
  ['redact'],
  ['store'],
  ['highlight'],
  ['front'],
  ['front-api', 'http', 'fs', 'terminal'],
  ['shared'],
];

/** The pipeline's stages, top to bottom (src/pipeline/<stage>/). */
const STAGES = [['run'], ['deliver'], ['prepare'], ['fetch']];

const alt = (names) => `(${names.join('|')})`;

/** One rule per folder: nothing it imports is listed at its level or above. */
function layered(name, layers, root, comment) {
  return layers.flatMap((level, i) =>
    level.map((folder) => {
      const notBelow = layers.slice(0, i + 1).flat().filter((f) => f !== folder);
      return {
        name: `${name}:${folder}`,
        comment,
        severity: 'error',
        from: { path: `^${root}/${folder}/` },
        to: { path: `^${root}/${alt(notBelow)}/` },
      };
    }),
  );
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'folder-is-layered',
      comment: 'Every folder of src/ has its place in LAYERS (.dependency-cruiser.cjs): add it where it belongs.',
      severity: 'error',
      from: { path: `^src/(?!${alt(LAYERS.flat())}/)[^/]+/` },
      to: {},
    },
    ...layered('layers', LAYERS, 'src', 'A folder imports only folders below it (LAYERS): no two folders import each other.'),
    ...layered('stages', STAGES, 'src/pipeline', 'A pipeline stage imports only the stages below it (STAGES).'),
    {
      name: 'pipeline-entry',
      comment: "Outside src/pipeline/, the pipeline is imported from its entry, src/pipeline/index.ts, never from a stage's file.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/pipeline/' },
      to: { path: '^src/pipeline/', pathNot: '^src/pipeline/index\\.ts$' },
    },
    {
      name: 'sandbox-is-not-the-client',
      comment: "The simulated Front shares nothing with the client: it speaks Front's JSON (src/front-api/) as the spec describes it, not as the client reads it.",
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: { path: `^src/${alt(['front', 'pipeline', 'commands', 'cli', 'store', 'runs'])}/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // Type-only imports count: sharing a type is sharing a belief about the data.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
