// Collects a child's output up to a byte cap, decoding UTF-8 only once at the end so a
// multi-byte character split across chunks survives. Shared by the local and SSH executors.

export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
export const TRUNCATION_MARK = "\n[output truncated]";

export class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;

  constructor(private readonly maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES) {}

  push(chunk: Buffer | string): void {
    if (this.truncated) return;
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    const room = this.maxBytes - this.size;
    if (data.length <= room) {
      this.chunks.push(data);
      this.size += data.length;
      return;
    }
    if (room > 0) this.chunks.push(data.subarray(0, room));
    this.size = this.maxBytes;
    this.truncated = true;
  }

  get wasTruncated(): boolean {
    return this.truncated;
  }

  text(): string {
    const body = Buffer.concat(this.chunks).toString("utf8");
    return this.truncated ? body + TRUNCATION_MARK : body;
  }
}
