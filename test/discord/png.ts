import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  chunks: string[];
}

/**
 * Checks a PNG the way a decoder would: signature, IHDR first with sane fields, every chunk's CRC,
 * IDAT data that inflates to the expected size, IEND last. Throws on the first problem.
 */
export function parsePng(buf: Buffer): PngInfo {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG signature');
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let off = 8;
  let info: Omit<PngInfo, 'chunks'> | undefined;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    const crc = buf.readUInt32BE(off + 8 + len);
    if (crc32(buf.subarray(off + 4, off + 8 + len)) !== crc) throw new Error(`bad CRC in ${type}`);
    if (chunks.length === 0 && type !== 'IHDR') throw new Error('IHDR is not the first chunk');
    if (type === 'IHDR') info = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8]!, colorType: data[9]! };
    if (type === 'IDAT') idat.push(data);
    chunks.push(type);
    off += 12 + len;
  }
  if (!info || chunks.at(-1) !== 'IEND') throw new Error('missing IHDR or IEND');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[info.colorType];
  if (!channels || info.width === 0 || info.height === 0) throw new Error('bad IHDR');
  const raw = inflateSync(Buffer.concat(idat));
  const expected = info.height * (1 + Math.ceil((info.width * channels * info.bitDepth) / 8));
  if (raw.length !== expected) throw new Error(`IDAT inflates to ${raw.length} bytes, expected ${expected}`);
  return { ...info, chunks };
}
