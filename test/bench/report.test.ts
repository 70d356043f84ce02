import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endMarker, orderSections, startMarker, updateBenchmarksFile } from '../../bench/report.js';
import { tempDir } from '../helpers/run-cli.js';

describe('BENCHMARKS.md sections', () => {
  it('replaces only the text between a suite\'s markers, appends a new suite, and orders suites', () => {
    const path = join(tempDir(), 'BENCHMARKS.md');
    writeFileSync(path, `# Benchmarks\n\nHand-written intro.\n\n${startMarker('b')}\nold b\n${endMarker('b')}\n`);
    updateBenchmarksFile(path, 'a', '## A\nfirst a');
    updateBenchmarksFile(path, 'b', '## B\nnew b');
    updateBenchmarksFile(path, 'a', '## A\nsecond a');
    let text = readFileSync(path, 'utf8');
    expect(text).toContain('Hand-written intro.');
    expect(text).not.toContain('old b');
    expect(text).not.toContain('first a');
    expect(text.indexOf('new b')).toBeLessThan(text.indexOf('second a'));
    orderSections(path, ['a', 'b']);
    text = readFileSync(path, 'utf8');
    expect(text.indexOf('second a')).toBeLessThan(text.indexOf('new b'));
    expect(text.startsWith('# Benchmarks\n\nHand-written intro.\n\n')).toBe(true);
    expect(text.match(/bench:a:start/g)).toHaveLength(1);
  });
});
