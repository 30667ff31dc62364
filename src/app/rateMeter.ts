/** Transfer rate and time left from recent progress samples (a sliding window, so a stall shows). */
export class RateMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  /** Records that `bytes` (cumulative) were sent by time `t` (ms). */
  add(t: number, bytes: number): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the window; 0 until two samples a moment apart exist. */
  bytesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const ms = last.t - first.t;
    return ms < 200 ? 0 : ((last.bytes - first.bytes) * 1000) / ms;
  }

  /** Seconds until `total` at the current rate; null while the rate is unknown. */
  secondsLeft(total: number): number | null {
    const rate = this.bytesPerSecond();
    if (rate <= 0 || this.samples.length === 0) return null;
    return Math.max(0, (total - this.samples[this.samples.length - 1].bytes) / rate);
  }

  /** After a pause the old samples would make the rate look slow: start over. */
  reset(): void {
    this.samples = [];
  }
}
