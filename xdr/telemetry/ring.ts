/** A bounded FIFO of samples (this region's recent history, kept in process). */
export class Ring<T> {
  private readonly items: T[] = [];
  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    // Trim in chunks: one splice per capacity/8 pushes instead of a shift per push.
    if (this.items.length > this.capacity + Math.max(1, this.capacity >> 3)) this.items.splice(0, this.items.length - this.capacity);
  }

  /** Items matching `keep`, oldest first, at most `capacity`. */
  filter(keep: (item: T) => boolean): T[] {
    const start = Math.max(0, this.items.length - this.capacity);
    const out: T[] = [];
    for (let i = start; i < this.items.length; i++) if (keep(this.items[i]!)) out.push(this.items[i]!);
    return out;
  }

  last(): T | undefined {
    return this.items[this.items.length - 1];
  }
}
