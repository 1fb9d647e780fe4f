import { InvalidArgumentError, Option } from 'commander';

/** Names people type for the query languages, and the names ruleforge (like Kibana's rules) uses. */
const SYNONYMS: Record<string, string> = { kql: 'kuery', kuery: 'kuery', eql: 'eql', lucene: 'lucene' };

/**
 * `--language`, listing its choices in --help; a wrong name gets the right one suggested: Kibana's rules
 * call KQL `kuery`, so `--language kql` says so instead of only listing the choices.
 */
export function languageOption(description: string, choices: readonly string[], unsupported?: (value: string) => string | undefined): Option {
  return new Option('--language <language>', description)
    .choices(choices)
    .argParser((value: string) => {
      if (choices.includes(value)) return value;
      const explained = unsupported?.(value);
      if (explained !== undefined) throw new InvalidArgumentError(explained);
      const meant = SYNONYMS[value.toLowerCase()];
      const suggestion = meant !== undefined && choices.includes(meant) ? ` Did you mean "${meant}"?${value.toLowerCase() === 'kql' ? ' (Kibana names KQL "kuery".)' : ''}` : '';
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.${suggestion}`);
    })
    .makeOptionMandatory();
}
