#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { compileCommand } from './compile.js';
import { convertCommand } from './convert.js';
import { explainCommand } from './explain.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { queryCommand } from './query.js';
import { runCommand } from './run.js';
import { testCommand } from './test.js';
import { validateCommand } from './validate.js';
// Authoring commands (issue 15): formatting, fixes, coverage, the language server.
import { coverageCommand } from './coverage.js';
import { fmtCommand } from './fmt.js';
import { lintCommand } from './lint.js';
import { lspCommand } from './lsp.js';
import { UsageError } from './io.js';
import { packageVersion } from './version.js';

/** Builds the `ruleforge` command line. */
export function buildProgram(): Command {
  const program = new Command('ruleforge')
    .description('Detection rules as data: compile KQL and EQL rules into fast matchers for ECS events')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addCommand(validateCommand().exitOverride());
  program.addCommand(compileCommand().exitOverride());
  program.addCommand(testCommand().exitOverride());
  program.addCommand(runCommand().exitOverride());
  program.addCommand(explainCommand().exitOverride());
  program.addCommand(queryCommand().exitOverride());
  program.addCommand(convertCommand().exitOverride());
  program.addCommand(importCommand().exitOverride());
  program.addCommand(exportCommand().exitOverride());
  program.addCommand(lintCommand().exitOverride());
  program.addCommand(fmtCommand().exitOverride());
  program.addCommand(coverageCommand().exitOverride());
  program.addCommand(lspCommand().exitOverride());
  return program;
}

/** Runs the CLI; exit codes: 0 clean, 1 findings (e.g. an invalid query), 2 usage errors. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, successfully.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`ruleforge: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`ruleforge: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

process.exitCode = await main(process.argv);
