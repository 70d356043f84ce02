import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { tempDir } from '../helpers/run-cli.js';

/** `alerts.escalation`, `.routes`, `.notify`, `.maintenance`: parsed with defaults, each mistake one line naming the field. */
const PAPER = 'accounts:\n  - { id: desk-a, venue: paper, paper: { equity: 100, available: 50 } }\n';
const load = (alerts: string) => {
  const file = join(tempDir(), 'c.yaml');
  writeFileSync(file, `${PAPER}alerts:\n${alerts}`);
  return loadConfig({}, file);
};
function errorOf(alerts: string): string {
  try {
    load(alerts);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('paging configuration', () => {
  it('parses the README example: two routes, a two-step chain, levels and a weekly window', () => {
    const cfg = load(`
  routes:
    - { match: { severity: CRITICAL }, channelId: "1200000000000000050", mentionRoleId: "1200000000000000101", continue: true }
    - { match: { type: funding }, channelId: "1200000000000000051" }
  escalation:
    - { after: 10m, mentionRoleIds: ["1200000000000000060"], dmUserIds: ["1300000000000000011"] }
    - { after: 30m, mentionRoleIds: ["1200000000000000061"] }
  notify: { funding: silent, sync: on, hedger-capacity: off }
  maintenance:
    - { cron: "0 2 * * SUN", duration: 2h, timezone: Europe/Berlin, match: { account: desk-a }, reason: "venue maintenance" }
`);
    expect(cfg.alerts.routes).toEqual([
      { match: { severity: 'CRITICAL' }, channelId: '1200000000000000050', mentionRoleId: '1200000000000000101', continue: true },
      { match: { type: 'funding' }, channelId: '1200000000000000051', continue: false },
    ]);
    expect(cfg.alerts.escalation).toEqual([
      { after: 600_000, mentionRoleIds: ['1200000000000000060'], dmUserIds: ['1300000000000000011'] },
      { after: 1_800_000, mentionRoleIds: ['1200000000000000061'], dmUserIds: [] },
    ]);
    expect(cfg.alerts.notify).toEqual({ funding: 'silent', sync: 'on', 'hedger-capacity': 'off' });
    expect(cfg.alerts.maintenance).toEqual([{ cron: '0 2 * * SUN', duration: 7_200_000, timezone: 'Europe/Berlin', match: { account: 'desk-a' }, reason: 'venue maintenance' }]);
  });

  it.each([
    ['an unquoted Discord id', '  routes: [{ match: {}, channelId: 1200000000000000050 }]\n', 'config alerts.routes[0].channelId: write Discord ids in quotes ("123…"): unquoted, YAML reads one as a number and loses digits'],
    ['a channel that is no id', '  routes: [{ match: {}, channelId: "alerts" }]\n', 'config alerts.routes[0].channelId: must be a Discord id (17-20 digits)'],
    ['an unknown severity', '  routes: [{ match: { severity: HIGH }, channelId: "1200000000000000050" }]\n', 'config alerts.routes[0].match.severity: expected one of INFO, WARN, CRITICAL'],
    ['an unknown account', '  routes: [{ match: { account: desk-z }, channelId: "1200000000000000050" }]\n', 'config alerts.routes[0].match.account: unknown account "desk-z"'],
    ['a typo in a route', '  routes: [{ match: {}, channelId: "1200000000000000050", contine: true }]\n', 'config alerts.routes[0]: unknown key contine'],
    ['steps out of order', '  escalation: [{ after: 30m, dmUserIds: ["1300000000000000011"] }, { after: 10m, dmUserIds: ["1300000000000000011"] }]\n', 'config alerts.escalation[1].after: must be later than the step before'],
    ['a step that pages nobody', '  escalation: [{ after: 10m }]\n', 'config alerts.escalation[0]: a step needs mentionRoleIds or dmUserIds'],
    ['a step at 0', '  escalation: [{ after: 0s, dmUserIds: ["1300000000000000011"] }]\n', 'config alerts.escalation[0].after: must be more than 0'],
    ['an unknown level', '  notify: { funding: quiet }\n', 'config alerts.notify.funding: expected one of on, silent, off'],
    ['an unknown alert type', '  notify: { fundng: silent }\n', 'config alerts.notify: unknown key fundng'],
    ['a bad cron', '  maintenance: [{ cron: "0 25 * * SUN", duration: 2h, match: { type: sync }, reason: r }]\n', 'config alerts.maintenance[0].cron: invalid cron expression "0 25 * * SUN" (Constraint error, got value 25 expected range 0-23)'],
    ['an unknown time zone', '  maintenance: [{ cron: "0 2 * * SUN", duration: 2h, timezone: Mars/Olympus, match: { type: sync }, reason: r }]\n', 'config alerts.maintenance[0].timezone: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin)'],
    ['a window matching everything', '  maintenance: [{ cron: "0 2 * * SUN", duration: 2h, match: {}, reason: r }]\n', 'config alerts.maintenance[0].match: needs a type, an account or a symbol to match'],
    ['a window without a reason', '  maintenance: [{ cron: "0 2 * * SUN", duration: 2h, match: { type: sync }, reason: "" }]\n', 'config alerts.maintenance[0].reason: must say why'],
    ['a window of 8 days', '  maintenance: [{ cron: "0 2 * * SUN", duration: 8d, match: { type: sync }, reason: r }]\n', 'config alerts.maintenance[0].duration: must be more than 0 and at most 7d'],
  ])('%s → one line naming the field', (_name, alerts, message) => {
    expect(errorOf(alerts)).toBe(message);
  });
});
