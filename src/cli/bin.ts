#!/usr/bin/env node
/**
 * The `ruleforge` command. The CLI's npm packages are optional dependencies (an embedder of
 * `ruleforge/runtime` can omit them), so a missing one is explained instead of ending in a stack trace.
 */
const CLI_PACKAGES = ['ajv', 'commander', 'js-yaml', 'smol-toml', 'yaml', 'vscode-languageserver', 'vscode-languageserver-textdocument'];

try {
  await import('./main.js');
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  const missing = e.code === 'ERR_MODULE_NOT_FOUND' ? CLI_PACKAGES.find((p) => e.message.includes(`'${p}'`)) : undefined;
  if (missing === undefined) throw err;
  process.stderr.write(`ruleforge: the command line needs the package "${missing}", which is not installed (ruleforge was installed with --omit=optional?). Install it with \`npm install ruleforge\` (without --omit=optional); \`ruleforge/runtime\` alone does not need it.\n`);
  process.exitCode = 2;
}
