/**
 * A deterministic mix of ECS events of the kinds Elastic's rules watch: Windows and Linux process starts,
 * file and registry changes, network connections, authentication, DNS, and CloudTrail API calls, with the
 * field values real data has (process names, event categories as arrays, data stream datasets).
 */
import { makeEvents, prng } from './cloudtrail-events.js';

type Event = Record<string, unknown>;

const WIN_PROCESSES = ['svchost.exe', 'explorer.exe', 'chrome.exe', 'msedge.exe', 'outlook.exe', 'powershell.exe', 'cmd.exe', 'conhost.exe', 'teams.exe', 'OneDrive.exe', 'rundll32.exe', 'WmiPrvSE.exe', 'lsass.exe', 'services.exe', 'taskhostw.exe', 'dllhost.exe', 'winword.exe', 'excel.exe', 'MsMpEng.exe', 'SearchIndexer.exe'];
const LINUX_PROCESSES = ['bash', 'sshd', 'systemd', 'cron', 'python3', 'curl', 'apt', 'dockerd', 'containerd-shim', 'nginx', 'sudo', 'java', 'node', 'kubelet', 'journald'];
const USERS = ['alice', 'bob', 'svc-backup', 'SYSTEM', 'root', 'www-data', 'carol', 'dave'];
const HOSTS = ['web-01', 'web-02', 'db-01', 'build-07', 'laptop-ann', 'laptop-raj', 'dc-01', 'k8s-node-3'];
const DOMAINS = ['api.github.com', 'www.google.com', 'login.microsoftonline.com', 'updates.example.com', 'registry.npmjs.org', 'pypi.org'];

/** `count` events of mixed kinds, the same on every run. */
export function makeEcsEvents(count: number, seed = 11): Event[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const cloudtrail = makeEvents(Math.ceil(count / 5), seed + 1);
  const out: Event[] = [];
  for (let i = 0; i < count; i++) {
    const ts = new Date(Date.UTC(2026, 5, 5, 8) + i * 37).toISOString();
    const host = { name: pick(HOSTS), os: {} as Record<string, unknown> };
    const kind = random();
    if (kind < 0.2) {
      out.push(cloudtrail[i % cloudtrail.length]);
      continue;
    }
    const windows = random() < 0.6;
    host.os = windows ? { type: 'windows', family: 'windows', name: 'Windows 11' } : { type: 'linux', family: 'debian', name: 'Ubuntu' };
    const name = pick(windows ? WIN_PROCESSES : LINUX_PROCESSES);
    const parent = pick(windows ? WIN_PROCESSES : LINUX_PROCESSES);
    const process = {
      name,
      pid: 1000 + Math.floor(random() * 60000),
      executable: windows ? `C:\\Windows\\System32\\${name}` : `/usr/bin/${name}`,
      command_line: windows ? `${name} /c start` : `${name} -c run`,
      args: [name, windows ? '/c' : '-c'],
      parent: { name: parent, pid: 4 + Math.floor(random() * 999), executable: windows ? `C:\\Windows\\${parent}` : `/usr/sbin/${parent}` },
    };
    const user = { name: pick(USERS), domain: windows ? 'CORP' : undefined };
    const base = { '@timestamp': ts, host, user, agent: { type: 'endpoint' }, ecs: { version: '8.11.0' } };
    if (kind < 0.55) {
      out.push({ ...base, process, event: { category: ['process'], type: ['start'], action: windows ? 'start' : 'exec', kind: 'event', dataset: 'endpoint.events.process', module: 'endpoint' }, data_stream: { dataset: 'endpoint.events.process', type: 'logs', namespace: 'default' } });
    } else if (kind < 0.7) {
      const fileName = `${pick(['report', 'data', 'tmp', 'cache', 'index'])}${Math.floor(random() * 100)}.${pick(['docx', 'txt', 'log', 'dll', 'exe', 'ps1', 'sh'])}`;
      out.push({ ...base, process, file: { name: fileName, path: windows ? `C:\\Users\\${user.name}\\AppData\\${fileName}` : `/tmp/${fileName}`, extension: fileName.split('.').pop() }, event: { category: ['file'], type: [pick(['creation', 'change', 'deletion'])], action: pick(['creation', 'modification', 'deletion']), kind: 'event', dataset: 'endpoint.events.file', module: 'endpoint' }, data_stream: { dataset: 'endpoint.events.file', type: 'logs', namespace: 'default' } });
    } else if (kind < 0.82) {
      out.push({ ...base, process, source: { ip: `10.0.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`, port: 40000 + Math.floor(random() * 20000) }, destination: { ip: `${Math.floor(random() * 223) + 1}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`, port: pick([443, 80, 53, 22, 3389, 445, 8080]) }, network: { transport: 'tcp', direction: 'egress' }, event: { category: ['network'], type: ['start', 'connection'], action: 'connection_attempted', kind: 'event', dataset: 'endpoint.events.network', module: 'endpoint' }, data_stream: { dataset: 'endpoint.events.network', type: 'logs', namespace: 'default' } });
    } else if (kind < 0.9) {
      out.push({ ...base, process, dns: { question: { name: pick(DOMAINS), type: 'A' } }, event: { category: ['network'], type: ['protocol'], action: 'lookup_requested', kind: 'event', dataset: 'endpoint.events.network', module: 'endpoint' }, data_stream: { dataset: 'endpoint.events.network', type: 'logs', namespace: 'default' } });
    } else if (windows && kind < 0.95) {
      out.push({ ...base, process, registry: { path: `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\${pick(['Run', 'Policies', 'Explorer'])}\\${name}`, value: name }, event: { category: ['registry'], type: ['change'], action: 'modification', kind: 'event', dataset: 'endpoint.events.registry', module: 'endpoint' }, data_stream: { dataset: 'endpoint.events.registry', type: 'logs', namespace: 'default' } });
    } else {
      out.push({ ...base, source: { ip: `198.51.100.${Math.floor(random() * 255)}` }, event: { category: ['authentication'], type: ['start'], action: pick(['logged-in', 'log_on', 'ssh_login']), outcome: pick(['success', 'success', 'failure']), code: windows ? pick(['4624', '4625', '4672']) : undefined, kind: 'event', dataset: windows ? 'system.security' : 'system.auth', module: 'system' }, data_stream: { dataset: windows ? 'system.security' : 'system.auth', type: 'logs', namespace: 'default' } });
    }
  }
  return out;
}

/** A deterministic shuffle (Fisher–Yates over the seeded PRNG): the same order on every run. */
export function prngShuffle<T>(list: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
