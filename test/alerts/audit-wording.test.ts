import { afterEach, describe, expect, test } from 'vitest';
import { alertsCommand, handleAlertButton } from '../../commands/alerts.js';
import { auditRefusals } from '../../src/app/refusal-audit.js';
import { executeCommand } from '../../src/present/execute.js';
import { admin, harness, member, metrics, riskOf, silentLogger, snapshotOf, type Harness } from './fixtures.js';

/*
 * Issue 11, "Audit wording": a refusal's audit entry says who was refused, for what, and why; a refused
 * button click carries no comment that reads as if the action had happened.
 */
let h: Harness;
afterEach(() => h?.close());

async function fired(): Promise<string> {
  h = harness({ policy: { groupWaitMs: 0 } });
  await h.tick((now) => snapshotOf(now, [{ id: 'acc-1' }]), (now) => riskOf(now, [metrics('acc-1', { utilization: 0.97 })]));
  return (await h.service.list())[0]!.shortId;
}

const latest = async () => (await h.service.auditLog())[0];
/** executeCommand audits without holding up the reply: wait for the entry. */
async function settled(count: number): Promise<void> {
  for (let i = 0; i < 50 && (await h.service.auditLog()).length < count; i++) await new Promise((r) => setTimeout(r, 5));
}

describe('audit wording of refusals', () => {
  test('a non-admin’s slash command: who, the command, and “not an admin”', async () => {
    const id = await fired();
    const onRefused = auditRefusals(h.service);
    const view = await executeCommand(alertsCommand, { now: () => h.clock.now(), alerts: h.service }, { subcommand: 'ack', options: { id, comment: 'mine' }, actor: member }, silentLogger, onRefused);
    expect(view.title).toBe('Error 3001');
    await settled(1);
    expect(await latest()).toMatchObject({
      actorId: 'u-member',
      actorName: 'bob',
      action: 'ack',
      target: `id=${id}`,
      comment: 'mine',
      outcome: 'refused',
      detail: `refused bob (u-member): /alerts ack id=${id} — not an admin`,
    });
  });

  test('a command the transport refused says where it was sent and why that is refused', async () => {
    const id = await fired();
    const onRefused = auditRefusals(h.service);
    await onRefused('alerts', { subcommand: 'resolve', options: { id }, actor: { ...admin, source: 'discord:dm/1' } }, 'dm');
    expect((await latest())?.detail).toBe(`refused ann (u-admin): /alerts resolve id=${id} — sent in a direct message, and delta-ops takes commands inside its server only`);
    await onRefused('button', { options: { customId: `alert:ack:${id}` }, actor: member }, 'guild');
    expect(await latest()).toMatchObject({ action: 'ack', target: id, outcome: 'refused', detail: `refused bob (u-member): acknowledge alert ${id} with its Acknowledge button — sent in a server outside the allow-list` });
    expect((await latest())?.comment).toBeUndefined();
    await onRefused('button', { options: { customId: `alert:ack:${id}` }, actor: { ...member, source: 'discord:dm/9' } }, 'not-member');
    expect((await latest())?.detail).toBe(`refused bob (u-member): acknowledge alert ${id} with its Acknowledge button — clicked in a direct message by someone who is not a member of the server`);
  });

  test('a non-admin’s button clicks: no comment, the button named, “not an admin”; nothing happens to the alert', async () => {
    const id = await fired();
    const ctx = { now: () => h.clock.now(), alerts: h.service };
    await expect(handleAlertButton(ctx, member, `alert:ack:${id}`)).rejects.toThrow('Permission denied');
    const ack = await latest();
    expect(ack).toMatchObject({ action: 'ack', target: id, outcome: 'refused', detail: `refused bob (u-member): acknowledge alert ${id} with the Acknowledge button on the alert message — not an admin` });
    expect(ack?.comment).toBeUndefined();
    await expect(handleAlertButton(ctx, member, `alert:silence1h:${id}`)).rejects.toThrow('Permission denied');
    const silence = await latest();
    expect(silence).toMatchObject({ action: 'silence', outcome: 'refused', detail: `refused bob (u-member): silence type=utilization account=acc-1 with the Silence 1h button on the alert message — not an admin` });
    expect(silence?.comment).toBeUndefined();
    await expect(handleAlertButton(ctx, { ...member, source: 'discord:dm/9' }, `alert:ack:${id}`)).rejects.toThrow('Permission denied');
    expect((await latest())?.detail).toBe(`refused bob (u-member): acknowledge alert ${id} with the Acknowledge button of an escalation DM — not an admin`);
    expect(await h.service.get(id)).toMatchObject({ state: 'firing' });
    expect((await h.service.get(id))?.ackedBy).toBeUndefined();
    expect(await h.service.listSilences()).toEqual([]);
  });

  test('an admin’s click is recorded as done by that button, with no invented comment', async () => {
    const id = await fired();
    await handleAlertButton({ now: () => h.clock.now(), alerts: h.service }, admin, `alert:ack:${id}`);
    const done = await latest();
    expect(done).toMatchObject({ action: 'ack', outcome: 'done', detail: 'utilization CRITICAL, by the Acknowledge button on the alert message' });
    expect(done?.comment).toBeUndefined();
    expect((await h.service.get(id))?.ackComment).toBeUndefined();
  });
});
