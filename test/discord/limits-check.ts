import type { RenderedMessage } from '../../src/discord/render-view.js';

/** Every Discord limit a message body must respect; returns what is violated (empty when fine). */
export function limitViolations(m: Pick<RenderedMessage, 'content' | 'embeds' | 'components'>): string[] {
  const out: string[] = [];
  if ((m.content?.length ?? 0) > 2000) out.push(`content ${m.content?.length}`);
  if (m.embeds.length > 10) out.push(`embeds ${m.embeds.length}`);
  let total = 0;
  m.embeds.forEach((e, i) => {
    const t = e.title?.length ?? 0;
    const d = e.description?.length ?? 0;
    const f = e.footer?.text.length ?? 0;
    if (t > 256) out.push(`embed ${i} title ${t}`);
    if (d > 4096) out.push(`embed ${i} description ${d}`);
    if (f > 2048) out.push(`embed ${i} footer ${f}`);
    if ((e.fields?.length ?? 0) > 25) out.push(`embed ${i} fields ${e.fields?.length}`);
    for (const [j, x] of (e.fields ?? []).entries()) {
      if (x.name.length > 256 || x.name.length === 0) out.push(`embed ${i} field ${j} name ${x.name.length}`);
      if (x.value.length > 1024 || x.value.length === 0) out.push(`embed ${i} field ${j} value ${x.value.length}`);
      total += x.name.length + x.value.length;
    }
    total += t + d + f;
  });
  if (total > 6000) out.push(`embed total ${total}`);
  if (m.components.length > 5) out.push(`action rows ${m.components.length}`);
  for (const row of m.components) {
    if (row.components.length > 5) out.push(`row of ${row.components.length}`);
    for (const b of row.components) {
      if (b.custom_id.length > 100) out.push(`custom_id ${b.custom_id.length}`);
      if ((b.label?.length ?? 0) > 80) out.push(`label ${b.label?.length}`);
    }
  }
  return out;
}

/** All visible text of a message, for "does this appear / not appear" checks. */
export function visibleText(m: Pick<RenderedMessage, 'content' | 'embeds'>): string {
  return [m.content ?? '', ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
}
