import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { formatDiagnosticText } from '../diagnostics/format-text.js';
import { readFieldList } from '../interop/dsl/field-list.js';
import { kqlToDsl, type KqlToDslOptions } from '../interop/dsl/to-dsl.js';
import { UsageError, writeOut } from './io.js';
import { languageOption } from './language-option.js';

interface ConvertFlags {
  language: string;
  to: string;
  fields?: string;
  caseInsensitive?: boolean;
  dateFormatTz?: string;
  filtersInMustClause?: boolean;
  nestedIgnoreUnmapped?: boolean;
}

/** The data view fields named by --fields; any problem with the file is a usage error naming it. */
function loadFields(file: string): KqlToDslOptions['fields'] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--fields: cannot read ${file}: ${(e as Error).message}`);
  }
  const list = readFieldList(json);
  if (!list.ok) throw new UsageError(`--fields: ${file} is not a Kibana field list: ${list.error}`);
  return list.fields;
}

/** `ruleforge convert`: prints the Elasticsearch query DSL Kibana would send for a KQL query. */
export function convertCommand(): Command {
  return (
    new Command('convert')
      .description('convert a KQL query into the Elasticsearch query DSL that Kibana sends for it')
      .addOption(
        languageOption('query language (KQL, named "kuery", is the only one with a DSL form)', ['kuery'], (value) =>
          value === 'eql' || value === 'lucene' || value === 'esql' ? `--to dsl converts KQL only: use --language kuery ("${value}" has no query DSL form).` : undefined,
        ),
      )
      .addOption(new Option('--to <format>', 'output format: dsl, the Elasticsearch query DSL (choices: "dsl")').makeOptionMandatory())
      .option('--fields <file>', "the data view's field list (JSON): keyword, date, scripted and nested fields, field-name wildcards")
      // Kibana distinguishes unset from false for these two (false is written out), hence the --no- forms.
      .option('--case-insensitive', 'wildcard and term queries ignore case (case_insensitive: true)')
      .option('--no-case-insensitive', 'write case_insensitive: false on wildcard and term queries')
      .option('--date-format-tz <zone>', "time_zone for date fields (Kibana's dateFormat:tz; Browser = this machine's zone)")
      .option('--filters-in-must-clause', 'put and-ed clauses in bool.must (scored) instead of bool.filter')
      .option('--nested-ignore-unmapped', 'nested queries get ignore_unmapped: true')
      .option('--no-nested-ignore-unmapped', 'nested queries get ignore_unmapped: false')
      .argument('<query>', 'the KQL query text')
      .action(async (query: string, flags: ConvertFlags) => {
        if (flags.to !== 'dsl') throw new UsageError(`--to: "${flags.to}" is not supported; the only target is dsl.`);
        if (flags.language !== 'kuery') {
          throw new UsageError(`--to dsl converts KQL only: use --language kuery ("${flags.language}" has no query DSL form).`);
        }
        const options: KqlToDslOptions = {};
        if (flags.fields !== undefined) options.fields = loadFields(flags.fields);
        if (flags.caseInsensitive !== undefined) options.caseInsensitive = flags.caseInsensitive;
        if (flags.dateFormatTz !== undefined) options.dateFormatTZ = flags.dateFormatTz;
        if (flags.filtersInMustClause) options.filtersInMustClause = true;
        if (flags.nestedIgnoreUnmapped !== undefined) options.nestedIgnoreUnmapped = flags.nestedIgnoreUnmapped;
        const result = kqlToDsl(query, options);
        if (!result.ok) {
          for (const d of result.diagnostics) process.stderr.write(formatDiagnosticText(d) + '\n');
          process.exitCode = 1;
          return;
        }
        await writeOut(JSON.stringify(result.dsl, null, 2) + '\n');
      })
  );
}
