/**
 * Keeps the last `limit` bytes of a stream, so a hook that writes megabytes
 * costs baton a fixed amount of memory. Bytes, not strings: a chunk cut inside
 * a UTF-8 character is decoded once, at the end, not chunk by chunk.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly limit: number) {}

  readonly push = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    // Drop whole chunks that lie entirely before the last `limit` bytes.
    while (this.chunks.length > 1 && this.bytes - this.chunks[0]!.length >= this.limit) {
      this.bytes -= this.chunks.shift()!.length;
    }
  };

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString("utf8");
  }
}
