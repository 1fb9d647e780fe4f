import { Command } from 'commander';

/** `ruleforge lsp`: the language server, speaking LSP over stdin/stdout until the editor closes it. */
export function lspCommand(): Command {
  return new Command('lsp')
    .description('language server for rule files over stdio (diagnostics, completion, hover, fixes, formatting, outline)')
    .option('--stdio', 'talk over stdin/stdout (the default; accepted because editors pass it)')
    .action(async () => {
      // Loaded on demand: the other commands do not pay for the LSP libraries.
      const { startServer } = await import('../lsp/server.js');
      const connection = startServer();
      await new Promise<void>((resolve) => connection.onExit(() => resolve()));
    });
}
