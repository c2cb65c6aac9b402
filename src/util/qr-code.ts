/**
 * A QR code encoder for short text (a pairing link): byte mode, error
 * correction level M (15% of the code may be damaged), versions 1 to 10 (up to
 * 213 bytes), the mask chosen by the standard's penalty rules (ISO/IEC 18004).
 * Written here rather than taken as a dependency: it is ~200 lines and
 * `baton pair` is its only user. The structure follows Project Nayuki's
 * well-known reference implementation.
 */

/** Modules, `true` for dark, `modules[y][x]`; no quiet zone. */
export type QrMatrix = boolean[][];

// Per version 1..10 at level M: error correction codewords per block, and the number of blocks.
const ECC_PER_BLOCK = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26];
const BLOCKS = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
/** Level M in the format information. */
const FORMAT_M = 0;
const MAX_VERSION = 10;

function rawDataModules(version: number): number {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    result -= (25 * align - 10) * align - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

function dataCodewords(version: number): number {
  return Math.floor(rawDataModules(version) / 8) - ECC_PER_BLOCK[version - 1]! * BLOCKS[version - 1]!;
}

/** Bits the data takes in byte mode: mode, count (8 bits to version 9, 16 from 10), bytes. */
function dataBits(version: number, bytes: number): number {
  return 4 + (version <= 9 ? 8 : 16) + bytes * 8;
}

export function encodeQr(text: string): QrMatrix {
  const bytes = [...Buffer.from(text, "utf8")];
  let version = 1;
  while (dataBits(version, bytes.length) > dataCodewords(version) * 8) {
    if (++version > MAX_VERSION)
      throw new RangeError(`text too long for a QR code here (${bytes.length} bytes)`);
  }
  const codewords = withErrorCorrection(version, dataCodewordsFor(version, bytes));
  const qr = new Builder(version);
  qr.drawFunctionPatterns();
  qr.drawCodewords(codewords);
  let best = 0;
  let bestPenalty = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 8; mask++) {
    qr.applyMask(mask);
    qr.drawFormatBits(mask);
    const penalty = qr.penalty();
    if (penalty < bestPenalty) {
      best = mask;
      bestPenalty = penalty;
    }
    qr.applyMask(mask); // masking twice undoes it
  }
  qr.applyMask(best);
  qr.drawFormatBits(best);
  return qr.modules;
}

function dataCodewordsFor(version: number, bytes: number[]): number[] {
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacity = dataCodewords(version) * 8;
  put(0, Math.min(4, capacity - bits.length));
  put(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8);
  const result: number[] = [];
  for (let i = 0; i < bits.length; i += 8)
    result.push(bits.slice(i, i + 8).reduce((acc, bit) => (acc << 1) | bit, 0));
  return result;
}

/** Splits the data into blocks, adds each block's Reed-Solomon codewords, and interleaves them. */
function withErrorCorrection(version: number, data: number[]): number[] {
  const blocks = BLOCKS[version - 1]!;
  const eccLength = ECC_PER_BLOCK[version - 1]!;
  const raw = Math.floor(rawDataModules(version) / 8);
  const shortBlocks = blocks - (raw % blocks);
  const shortLength = Math.floor(raw / blocks);
  const divisor = rsDivisor(eccLength);
  const all: number[][] = [];
  for (let i = 0, k = 0; i < blocks; i++) {
    const block = data.slice(k, k + shortLength - eccLength + (i < shortBlocks ? 0 : 1));
    k += block.length;
    const ecc = rsRemainder(block, divisor);
    if (i < shortBlocks) block.push(0);
    all.push([...block, ...ecc]);
  }
  const result: number[] = [];
  for (let i = 0; i < all[0]!.length; i++)
    all.forEach((block, j) => {
      // The padding byte of a short block is no codeword.
      if (i !== shortLength - eccLength || j >= shortBlocks) result.push(block[i]!);
    });
  return result;
}

function gfMultiply(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function rsDivisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < result.length; j++) {
      result[j] = gfMultiply(result[j]!, root);
      if (j + 1 < result.length) result[j]! ^= result[j + 1]!;
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

function rsRemainder(data: number[], divisor: number[]): number[] {
  const result = divisor.map(() => 0);
  for (const b of data) {
    const factor = b ^ result.shift()!;
    result.push(0);
    divisor.forEach((coefficient, i) => {
      result[i]! ^= gfMultiply(coefficient, factor);
    });
  }
  return result;
}

const MASKS: ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

class Builder {
  readonly size: number;
  readonly modules: QrMatrix;
  private readonly reserved: boolean[][];

  constructor(private readonly version: number) {
    this.size = version * 4 + 17;
    this.modules = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.reserved = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
  }

  private set(x: number, y: number, dark: boolean): void {
    this.modules[y]![x] = dark;
    this.reserved[y]![x] = true;
  }

  drawFunctionPatterns(): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [x, y] of [
      [3, 3],
      [n - 4, 3],
      [3, n - 4],
    ] as const) {
      for (let dy = -4; dy <= 4; dy++)
        for (let dx = -4; dx <= 4; dx++) {
          const distance = Math.max(Math.abs(dx), Math.abs(dy));
          if (x + dx >= 0 && x + dx < n && y + dy >= 0 && y + dy < n)
            this.set(x + dx, y + dy, distance !== 2 && distance !== 4);
        }
    }
    const align = this.alignmentPositions();
    const last = align.length - 1;
    align.forEach((ax, i) => {
      align.forEach((ay, j) => {
        if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++)
            this.set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      });
    });
    this.drawFormatBits(0); // reserves the format areas; drawn for real once the mask is chosen
    this.drawVersion();
  }

  private alignmentPositions(): number[] {
    if (this.version === 1) return [];
    const count = Math.floor(this.version / 7) + 2;
    const step = Math.ceil((this.version * 4 + 4) / (count * 2 - 2)) * 2;
    const result = [6];
    for (let pos = this.size - 7; result.length < count; pos -= step) result.splice(1, 0, pos);
    return result;
  }

  drawFormatBits(mask: number): void {
    const data = (FORMAT_M << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i: number) => ((bits >>> i) & 1) !== 0;
    const n = this.size;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(n - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, n - 15 + i, bit(i));
    this.set(8, n - 8, true); // always dark
  }

  private drawVersion(): void {
    if (this.version < 7) return;
    let rem = this.version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (this.version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) !== 0;
      const a = this.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      this.set(a, b, dark);
      this.set(b, a, dark);
    }
  }

  /** Codewords in the zigzag order: two columns at a time from the right, up then down, skipping the timing column. */
  drawCodewords(codewords: number[]): void {
    let i = 0;
    for (let right = this.size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (let vert = 0; vert < this.size; vert++)
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          const upward = ((right + 1) & 2) === 0;
          const y = upward ? this.size - 1 - vert : vert;
          if (!this.reserved[y]![x] && i < codewords.length * 8) {
            this.modules[y]![x] = ((codewords[i >>> 3]! >>> (7 - (i & 7))) & 1) !== 0;
            i++;
          }
        }
    }
  }

  applyMask(mask: number): void {
    const invert = MASKS[mask]!;
    for (let y = 0; y < this.size; y++)
      for (let x = 0; x < this.size; x++)
        if (!this.reserved[y]![x] && invert(x, y)) this.modules[y]![x] = !this.modules[y]![x];
  }

  /** The standard's four penalties: long runs, 2×2 blocks, finder-like patterns, imbalance of dark and light. */
  penalty(): number {
    const n = this.size;
    const m = this.modules;
    let result = 0;
    const line = (get: (i: number) => boolean) => {
      let score = 0;
      let run = 1;
      for (let i = 1; i <= n; i++) {
        if (i < n && get(i) === get(i - 1)) run++;
        else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
      // 1:1:3:1:1 dark-light pattern with four light modules on either side (or the edge).
      const at = (i: number) => (i < 0 || i >= n ? false : get(i));
      for (let i = 0; i + 7 <= n; i++) {
        const core = [true, false, true, true, true, false, true].every((dark, k) => at(i + k) === dark);
        if (!core) continue;
        const lightBefore = [1, 2, 3, 4].every((k) => !at(i - k));
        const lightAfter = [7, 8, 9, 10].every((k) => !at(i + k));
        if (lightBefore || lightAfter) score += 40;
      }
      return score;
    };
    for (let y = 0; y < n; y++) result += line((x) => m[y]![x]!);
    for (let x = 0; x < n; x++) result += line((y) => m[y]![x]!);
    for (let y = 0; y + 1 < n; y++)
      for (let x = 0; x + 1 < n; x++) {
        const c = m[y]![x];
        if (c === m[y]![x + 1] && c === m[y + 1]![x] && c === m[y + 1]![x + 1]) result += 3;
      }
    const dark = m.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
    const total = n * n;
    result += Math.floor(Math.abs(dark * 20 - total * 10) / total) * 10;
    return result;
  }
}

/**
 * The code as text for a terminal, two module rows per line with half blocks,
 * inside a quiet zone of `margin` modules. `dark` says how a cell whose
 * modules are both dark looks: the caller decides which of the terminal's
 * colours stands for dark (see `baton pair`).
 */
export function renderQr(matrix: QrMatrix, options: { margin?: number; invert?: boolean } = {}): string[] {
  const margin = options.margin ?? 2;
  const n = matrix.length;
  const darkAt = (x: number, y: number) => {
    const inside = x >= 0 && x < n && y >= 0 && y < n;
    const dark = inside && matrix[y]![x]!;
    return options.invert ? !dark : dark;
  };
  const lines: string[] = [];
  for (let y = -margin; y < n + margin; y += 2) {
    let line = "";
    for (let x = -margin; x < n + margin; x++) {
      const top = darkAt(x, y);
      const bottom = y + 1 < n + margin ? darkAt(x, y + 1) : options.invert === true;
      line += top ? (bottom ? "█" : "▀") : bottom ? "▄" : " ";
    }
    lines.push(line);
  }
  return lines;
}
